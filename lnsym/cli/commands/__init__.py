"""CLI subcommands, one module each (see ``lnsym.cli``)."""
