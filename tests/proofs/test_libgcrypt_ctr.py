"""libgcrypt's CTR mode for several blocks: path splitting on the counter carry
(lnsym/proof/path_split.py), spec sums rewritten as the code's (lnsym/proof/sum_leaves.py),
the multi-block proofs.  Their mutants are in test_libgcrypt_proofs.py."""
from __future__ import annotations

import pytest
from lnsym.backends.symbolic import SymbolicBranch
from lnsym.proof import paths, sum_leaves
from lnsym.terms.bv import concat, const, extract, ite, var, zero_extend
from proofs import registry


# -- the mechanisms on small terms -----------------------------------------------------------
def halves_sum(hi, lo, k):
    """What AArch64 code computes for (hi:lo) + k: ``adds lo, lo, #k; adc hi, hi, xzr``."""
    carry = extract(zero_extend(lo, 65) + const(k, 65), 64, 64)
    return concat(hi + zero_extend(carry, 64), lo + const(k, 64))


def test_spec_sum_rewritten_as_the_codes_halves():
    hi, lo = var("hi", 64), var("lo", 64)
    spec = concat(hi, lo) + const(3, 128)
    code = halves_sum(hi, lo, 3)
    leaves = sum_leaves.SumLeaves({}, [code])
    [new] = leaves.rewrite([spec], [code])
    assert new is code and leaves.proven == 1


def test_a_wrong_carry_is_never_rewritten():
    """Code that drops the carry equals the spec except when lo overflows: z3 refutes
    every choice, so the spec term stays as it is."""
    hi, lo = var("hi", 64), var("lo", 64)
    spec = concat(hi, lo) + const(1, 128)
    code = concat(hi, lo + const(1, 64))
    leaves = sum_leaves.SumLeaves({}, [code])
    assert leaves.rewrite([spec], [code]) == [spec] and leaves.proven == 0


def test_rewrite_under_a_fact():
    """A byte added in a vector lane equals the spec's 128-bit sum only when the byte
    does not overflow: proven under that fact, refused without it."""
    c = [var(f"c{i}", 8) for i in range(16)]
    spec = concat(*c) + const(1, 128)
    code = concat(*c[:15], c[15] + const(1, 8))
    overflow = extract(zero_extend(c[15], 9) + const(1, 9), 8, 8)
    fast = sum_leaves.SumLeaves({overflow: 0}, [code])
    assert fast.rewrite([spec], [code]) == [code]
    anywhere = sum_leaves.SumLeaves({}, [code])
    assert anywhere.rewrite([spec], [code]) == [spec]


def test_bit_signatures_and_root_sets():
    """The helpers SumLeaves indexes with: bit j of every sampled value as one number, and
    each node's maximal sums (and, with_vars, variables) as _roots finds them."""
    assert sum_leaves.bit_signatures([0b01, 0b11, 0b10], 2) == [0b011, 0b110]
    wide = [1 << 127, (1 << 64) | 1]
    sigs = sum_leaves.bit_signatures(wide, 128)
    assert (sigs[0], sigs[64], sigs[127]) == (0b10, 0b10, 0b01) and sum(sigs) == 5
    x, y = var("x", 8), var("y", 8)
    inner = x + const(1, 8)
    terms = [concat(inner, y), concat(y, (inner ^ x) + y), x ^ y]
    for with_vars in (False, True):
        memo = sum_leaves.root_sets(terms, with_vars)
        for t in terms:
            assert memo[t] == set(sum_leaves._roots([t], with_vars))
    assert sum_leaves.root_sets(terms)[terms[0]] == {inner}


def test_paths_of_a_branch_cover_every_input():
    """``explore`` splits on the branch's condition, each side under its fact; together
    the paths cover every input, one alone does not."""
    c = var("c", 8)
    carry = extract(zero_extend(c, 9) + const(4, 9), 8, 8)
    target = {}

    def run(facts):
        if carry not in facts:
            err = SymbolicBranch("branch")
            err.pc, err.next_pc = 0x40, ite(carry, const(0x80, 64), const(0x44, 64))
            raise err
    found = paths.explore(run, target)
    assert sorted(f[carry] for f in found) == [0, 1] and target == {carry: 0x40}
    assert paths.covers(found)
    assert not paths.covers(found[:1])


# -- the routine --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["_gcry_aes_ctr_enc_armv8_ce/128x2",
                                  "_gcry_aes_ctr_enc_armv8_ce/128x3",
                                  "_gcry_aes_ctr_enc_armv8_ce/128x4",
                                  "_gcry_aes_ctr_enc_armv8_ce/256x4",
                                  "_gcry_aes_ctr_enc_armv8_ce/128x8"])
def test_ctr_blocks_proved(libgcrypt_lib, name):
    report = registry.make(name).check()
    assert report.status == "proved", [(r.name, r.status, r.detail) for r in report.failed]
    assert report.listing_diffs == []
    paths = {"x4": 2, "x8": 3}.get(name[-2:])  # both sides of each carry branch that can occur
    if paths:
        assert any(f"{paths} paths" in t and "cover every input" in t for t in report.trusted_base)
        labels = {r.name.split("]")[0] for r in report.results}
        assert len(labels) == paths and all("taken (-> 0x" in lab for lab in labels)


def test_a_path_label_says_where_the_branch_goes():
    """c = 1 selects ite(c, A, B)'s first arm, which for b.cs-style branches is the
    fall-through: the label follows the target, not the value of c."""
    site = paths.BranchSite(0x100, 0x104, 0x200)
    assert site == 0x100 and site.describe(1) == "0x100 not taken (-> 0x104)"
    assert site.describe(0) == "0x100 taken (-> 0x200)"


def test_a_rewrite_known_under_the_same_facts_is_taken_again():
    """Within reuse.sharing(), a second SumLeaves under the same facts takes the first's
    proven rewrite of the same (spec, code) pair without sampling or z3 again; under
    other facts, or outside sharing(), it works it out itself."""
    from lnsym.prover import reuse
    hi, lo = var("again_hi", 64), var("again_lo", 64)
    spec = concat(hi, lo) + const(5, 128)
    code = halves_sum(hi, lo, 5)
    with reuse.sharing():
        first = sum_leaves.SumLeaves({}, [code])
        assert first.rewrite([spec], [code]) == [code] and first.proven == 1
        again = sum_leaves.SumLeaves({}, [code])
        assert again.rewrite([spec], [code]) == [code] and again.proven == 1
        assert not again._ready                              # nothing sampled, no z3
        fact = extract(lo, 0, 0)
        other = sum_leaves.SumLeaves({fact: 1}, [code])
        assert other.rewrite([spec], [code]) == [code] and other._ready
    outside = sum_leaves.SumLeaves({}, [code])
    assert outside.rewrite([spec], [code]) == [code] and outside._ready
