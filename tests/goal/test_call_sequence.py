"""lnsym/proof/sequence.py: a cut's fresh term must be its spec at the definitions
given (else the run after it would be about other values), checked before any
run; the caller's steps (Glue) act on memory as stated."""
from __future__ import annotations

import pytest

from lnsym.backends.symbolic import Region, SymMemory
from lnsym.proof.routine import ProofSetupError
from lnsym.proof.sequence import Cut, check_definitions
from lnsym.terms.bv import concat, const, extract, var


def test_definitions_giving_the_spec_are_accepted():
    a, b = var("a", 16), var("b", 16)
    check_definitions(Cut("c", "r", 0, a ^ b, var("c", 16), {"c": a ^ b}))
    # not the same term, but proved equal: the bytes swapped twice
    swapped = concat(extract(a, 7, 0), extract(a, 15, 8))
    check_definitions(Cut("s", "r", 0, a, concat(extract(var("s", 16), 7, 0),
                                                 extract(var("s", 16), 15, 8)), {"s": swapped}))


@pytest.mark.parametrize("definition", [var("a", 16), var("a", 16) ^ const(1, 16)])
def test_definitions_not_giving_the_spec_are_refused(definition):
    a, b = var("a", 16), var("b", 16)
    with pytest.raises(ProofSetupError, match="cut c: its fresh term"):
        check_definitions(Cut("c", "r", 0, a ^ b, var("c", 16), {"c": definition}))


def test_glue_writes_change_only_the_bytes_named():
    from proofs.aes_gcm_e2e import bswap_halves
    from proofs.gcm_ae_e2e import inc32_writes
    mem = SymMemory()
    ctx = mem.add(Region("ctx", var("ctx", 64), 0, 32))
    ivec = mem.add(Region("ivec", var("ivec", 64), 0, 16,
                          init=lambda off: const(0xFF if off == 15 else 0, 8)))
    before = {o: ctx.byte(o) for o in range(32)}
    for name, off, byte in bswap_halves(lambda r, o: mem.region(r).byte(o)):
        mem.region(name).bytes[off] = byte
    assert [ctx.byte(16 + i) for i in range(8)] == [before[23 - i] for i in range(8)]
    assert [ctx.byte(24 + i) for i in range(8)] == [before[31 - i] for i in range(8)]
    assert all(ctx.byte(o) is before[o] for o in range(16))
    for name, off, byte in inc32_writes("ivec")(lambda r, o: mem.region(r).byte(o)):
        mem.region(name).bytes[off] = byte
    assert [int(ivec.byte(o)) for o in range(12, 16)] == [0, 0, 1, 0]


def _state_with(region_init):
    from lnsym.backends.symbolic import SymState
    mem = SymMemory()
    mem.add(Region("r", var("r", 64), 0, 4, init=region_init))
    return SymState(lambda pc: 0, mem, 0, {"x0": var("r", 64)})


def test_cut_variables_must_be_new_and_defined():
    from lnsym.proof.sequence import check_fresh
    st = _state_with(lambda off: var("k", 8) if off == 0 else const(0, 8))
    a = var("a", 16)
    check_fresh(st, Cut("c", "r", 0, a, var("c", 16), {"c": a}), {})
    with pytest.raises(ProofSetupError, match="already occurs"):
        check_fresh(st, Cut("k", "r", 0, a, concat(var("k", 8), var("k", 8)), {"k": const(0, 8)}),
                    {})
    with pytest.raises(ProofSetupError, match="already occurs"):     # in an earlier definition
        check_fresh(st, Cut("c", "r", 0, a, var("c", 16), {"c": a}), {"d": var("c", 16)})
    # an earlier cut's variable may appear (a table of H after the cut of H)
    check_fresh(st, Cut("t", "r", 0, a, concat(var("d", 8), var("t", 8)), {"t": const(0, 8)}),
                {"d": const(0, 8)})
    with pytest.raises(ProofSetupError, match="differ"):
        check_fresh(st, Cut("c", "r", 0, a, var("c", 16), {}), {})
