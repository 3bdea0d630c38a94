"""The ``lnsym`` command: one entry point, a subcommand per module in ``lnsym.cli.commands``.

Each command module (``lnsym.cli.commands``) defines ``register(subparsers)``, which adds its parser
and sets ``func``.  User errors are one sentence on stderr: exit 2 for bad
input, 1 for a run that failed (an unimplemented instruction reached, a
memory fault, a step limit); ``lnsym prove`` adds 3 (stuck) and 4 (a run that
could not complete).  An unexpected exception is a bug: one sentence and exit
4, or the traceback with ``LNSYM_DEBUG=1``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from isa_specs.errors import DecodeError
from lnsym.backends.concrete import ExecutionError
from lnsym.cli import commands
from lnsym.errors import UserError
from lnsym.machine.memory import MemoryFault


def _register_services() -> None:
    """The CLI may import ``conformance``: it lends the core its QEMU trace recorder."""
    from conformance.trace import record
    from lnsym.proof.replay import register_trace_recorder
    register_trace_recorder(record)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one sentence (exit 2), like every other error."""

    def error(self, message):
        self.exit(2, f"lnsym: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lnsym", description="AArch64 symbolic simulator for cryptographic machine code")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv=None) -> int:
    _register_services()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        print(f"lnsym: {e}", file=sys.stderr)
        return 2
    except (DecodeError, ExecutionError, MemoryFault) as e:
        print(f"lnsym: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lnsym: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (MemoryError, RecursionError):
        print("lnsym: the input is too large or too deeply nested to process",
              file=sys.stderr)
        return 4
    except Exception as e:
        if os.environ.get("LNSYM_DEBUG") == "1":
            raise
        first = (str(e).strip().splitlines() or ["no message"])[0]
        print(f"lnsym: internal error, please report it with LNSYM_DEBUG=1 for the "
              f"details: {first}", file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main())
