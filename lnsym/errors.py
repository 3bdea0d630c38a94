"""Errors a user sees as one sentence (the CLI prints them without a traceback)."""


class UserError(Exception):
    """Bad input: a file, a symbol, an argument.  CLI exit code 2."""


class ElfError(UserError):
    """A file that is not a usable ELF object, archive member or executable."""


class SymbolNotFound(UserError):
    pass
