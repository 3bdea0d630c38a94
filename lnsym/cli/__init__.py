"""The ``lnsym`` command line: ``main`` (entry point), ``commands`` (one module
per subcommand), ``args`` (shared options) and ``repl`` (the proof console).
The CLI is the one layer that may import ``conformance`` and ``proofs``."""
from lnsym.cli.main import main  # noqa: F401
