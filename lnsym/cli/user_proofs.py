"""``lnsym prove FILE.py [--object OBJ]... [--record-listing]``: a user's own proofs.

Every class in FILE.py that subclasses ``RoutineProof`` and names a ``symbol``
is a proof; it runs once per parameter set in its ``variants`` (default one
run, no parameters; ``--blocks N`` sets ``blocks`` in each).  The object is the
proof's own (``object``, or ``library`` + ``member``) unless ``--object`` names
one or more (linked into one image).

Listings are optional.  A proof's listing is its ``listing`` attribute, or the
file ``listings/<name>.lst`` next to FILE.py (``listing_file`` overrides the
path).  ``--record-listing`` writes that file from the object first (code, then
the constant data the symbolic run reads).  A proof with no listing is proved
all the same, and its report says the code was not checked against one.

The proofs then run exactly as the built-in ones (table, JSON, JUnit, exit codes).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path

from lnsym.elf.image import load_image
from lnsym.errors import UserError
from lnsym.numbers import parse_count
from lnsym.proof.routine import RoutineProof


def objects_arg(values):
    """``--object`` given 0, 1 or several times -> None, one spec, or a tuple."""
    if not values:
        return None
    if isinstance(values, str):
        return values
    return values[0] if len(values) == 1 else tuple(values)


def load_module(path: str):
    """Import FILE.py as a fresh module; a failure is one sentence."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"cannot read proof file {path}: no such file")
    name = "lnsym_user_proofs_" + hashlib.sha1(str(p.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, p)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001 -- any error in the user's file is bad input
        del sys.modules[name]
        frames = [f for f in traceback.extract_tb(e.__traceback__)
                  if os.path.exists(f.filename) and os.path.samefile(f.filename, p)]
        line = frames[-1].lineno if frames else getattr(e, "lineno", None)
        where = f" (line {line})" if line else ""
        raise UserError(f"cannot load proofs from {path}{where}: "
                        f"{type(e).__name__}: {e}") from None
    return module


def proof_classes(module, path: str) -> list:
    found = [c for c in vars(module).values()
             if isinstance(c, type) and issubclass(c, RoutineProof)
             and c.__module__ == module.__name__ and c.symbol]
    if not found:
        raise UserError(f"{path} defines no proof: no RoutineProof subclass with a symbol")
    return found


def instances(path: str, blocks: int | None) -> list:
    """The proof instances FILE.py defines, one per variant."""
    module = load_module(path)
    out = []
    for cls in proof_classes(module, path):
        seen = []
        for params in getattr(cls, "variants", ({},)) or ({},):
            params = dict(params)
            if blocks is not None:
                params["blocks"] = blocks
            if params not in seen:
                seen.append(params)
        for params in seen:
            proof = cls(**params)
            proof.proof_file = path
            out.append(proof)
    return out


def listing_path(proof) -> Path:
    own = getattr(proof, "listing_file", None)
    base = Path(proof.proof_file).parent
    return base / own if own else base / "listings" / f"{proof.name or proof.symbol}.lst"


def attach_listing(proof) -> None:
    """Give the proof the listing file next to its proof file, if it has none itself."""
    from proofs.listing import read_listing
    if not proof.listing and listing_path(proof).is_file():
        proof.listing = read_listing(listing_path(proof))


def record_listing(proof, object_spec) -> str:
    from proofs.listing import data_reads, write_listing
    spec = object_spec or proof.object_spec()
    image = load_image(spec)
    path = listing_path(proof)
    path.parent.mkdir(parents=True, exist_ok=True)
    probe = proof
    if proof.params.get("all_lengths"):       # the data a one-block run reads
        probe = type(proof)(**{**proof.params, "all_lengths": False, "blocks": 1})
    data = data_reads(probe, image)
    source = spec if isinstance(spec, str) else " + ".join(spec)
    n = write_listing(image, proof.symbol, path, str(source), data,
                      (f"data: constant words read by {proof.title()}",))
    proof.listing = ()
    attach_listing(proof)
    return f"recorded {path} ({n} instructions, {len(data)} constant bytes read)"


def is_proof_files(names) -> bool:
    """True when the NAMEs are proof files (FILE.py); mixing them with built-in names
    is a usage error."""
    files = [n for n in names if n.endswith(".py")]
    if files and len(files) != len(names):
        raise UserError("give either proof files (FILE.py) or built-in proof names, not both")
    return bool(files)


def load(args) -> list:
    """[(title, proof)] for ``lnsym prove FILE.py...``: listings attached (recorded
    first with ``--record-listing``); a proof without one says so in its report."""
    blocks = parse_count(args.blocks, "--blocks") if args.blocks is not None else None
    out = []
    for proof in [p for f in args.names for p in instances(f, blocks)]:
        if getattr(args, "record_listing", False):
            print(f"lnsym: {record_listing(proof, args.object)}", file=sys.stderr)
        attach_listing(proof)
        if not proof.listing:
            print(f"note: {proof.title()} has no listing; its code is not checked against "
                  f"one (record it with --record-listing)", file=sys.stderr)
            _note_missing_listing(proof)
        out.append((proof.title(), proof))
    return out


def _note_missing_listing(proof) -> None:
    """Make the proof's report say its code was not checked against a listing."""
    from proofs.contracts.base import NO_LISTING
    check = proof.check

    def check_noting(*args, **kwargs):
        report = check(*args, **kwargs)
        if NO_LISTING not in report.trusted_base:
            report.trusted_base.append(NO_LISTING)
        return report
    proof.check = check_noting
