"""Proof: the AES-GCM kernels for every length in bytes, a partial last block included.

The kernels return at once when ``bit_length`` is 0 and otherwise use only
``bit_length >> 3`` (the byte count: pointers, the loop bound, the tail's block
count) and ``bit_length & 127`` (the last block's mask).  The mask keeps the low ``bit_length mod 128`` bits of the
last block as a little-endian number, which is a whole number of bytes only when
bit_length is a multiple of 8; otherwise the block count is ⌊bit_length/8⌋'s and
the mask keeps low-order bits of a byte, not the standard's leading bits (131 bits:
one block, of which only the 3 low bits of byte 0 are kept).  So the precondition
is the caller's own (OpenSSL passes ``len * 8``): **bit_length = 8·len**, 1 ≤ len <
2^60.

The tail (listing +0x8e4 in the decryption kernel, +0x8f0 in the encryption one)
builds the mask from ``bit_length & 127``, hashes the last block ANDed with it
(the zero-padded block of SP 800-38D §6.4), loads out's 16 bytes there and stores
``(new & mask) | (old & ~mask)``: the last block's first b bytes are the GCTR
output, the 16 − b bytes after the length are written back with their old values.
The kernel reads 16 bytes of ``in`` there too: both regions are whole blocks.

Statement for len = 16·(m − 1) + pb, 1 ≤ pb ≤ 15, m blocks counting the partial one:
out[0, len) = GCTR_w(CB, in[0, len)); out[len, 16·m) unchanged; Xi = the kernel's
aggregated GHASH over the m blocks of ciphertext, the last zero-padded; the counter
word of ivec = ctr + m; x0 = len.  Whole-block lengths are the cases of
``proofs.aes_gcm_kernel_all``; with these, every len.

pb is one 4-bit variable (precondition 1 ≤ pb ≤ 15, deciding the tail's branches
with z3): the run up to the return is symbolic in pb, once per case, and the
obligations that mention pb are proved for each of its 15 values by substitution
(``split_by_pb``; the run is one function of pb, so the 15 instances cover it).
Cases: m = 1..4 (``PartialTail``: the tail alone), m = 4·(num + 1) + t, t = 1..4
(``PartialGroupLoop``: the whole-block induction, its statement's last block
masked).
"""
from __future__ import annotations

from lnsym.backends.hypotheses import Hypotheses, HypothesisMemory
from lnsym.proof.cases import Case, CaseSplit, N
from lnsym.proof.loops import NUM, copy_memory
from lnsym.proof.routine import RETURN, Output, RoutineProof, Setup
from lnsym.proof.streams import StreamInduction, settle
from lnsym.prover import Obligation
from lnsym.prover.engine import ObligationResult
from lnsym.terms.bv import (
    add, and_, concat, const, eq, extract, ite, lshr, mul, ne, uge, ugt, ult, urem, var,
)
from lnsym.terms.dag import substitute, variables
from proofs.aes_gcm_kernel import AGGREGATED, STANDARD, AesGcmKernel, kernel_aggregated
from proofs.blocks import as_memory
from proofs.specs import gcm
from proofs.aes_gcm_kernel_all import (
    NUM_BITS,
    AesGcmKernelAllLengths,
    KernelGroupLoop,
    group_identity,
    masked_cut,
)

PB = var("pb", 4)            # the bytes of the partial last block
PB_FACT = ne(PB, const(0, 4))
PB_WORDS = "1 ≤ pb ≤ 15: the last block holds pb bytes (bit_length = 8·len, len mod 16 = pb)"
BOUND_BITS = 60              # len < 2^60: 8·len fits x1 and m < 2^56 blocks
SHORT = 4                    # m ≤ 4 blocks: the tail alone


def split_by_pb(obs: list, hyps=None) -> list:
    """Each obligation mentioning pb as 15, one per value (pb substituted; then, with
    ``hyps``, subterms over num alone that they fix settled, ``streams.settle``)."""
    out, memo = [], {}
    for o in obs:
        if PB not in variables(o.impl, o.spec):
            out.append(o)
            continue
        for b in range(1, 16):
            at = {PB: const(b, 4)}
            impl, spec = substitute(o.impl, at), substitute(o.spec, at)
            if hyps is not None:
                impl = settle(impl, hyps, memo)
            out.append(Obligation(f"[pb = {b}] {o.name}", impl, spec))
    return out


def masked_last(data: list, fill) -> list:
    """``data`` (whole blocks) with byte j ≥ pb of the last block replaced by fill(index)."""
    base = len(data) - 16
    return data[:base] + [ite(ult(const(j, 4), PB), data[base + j], fill(base + j))
                          for j in range(16)]


def first_failed_pb(results: list) -> int:
    """The pb of the first failed obligation named ``[pb = b] ...`` (1 if none is)."""
    for r in results:
        if r.status != "proved" and "[pb = " in r.name:
            return int(r.name.split("[pb = ", 1)[1].split("]", 1)[0])
    return 1


TRUST = ("obligations mentioning pb proved for each pb = 1..15 by substitution: the "
         "run is symbolic in pb under 1 ≤ pb ≤ 15, one function of it, so the 15 "
         "instances are every value the precondition allows")


class PartialStreamInduction(StreamInduction):
    """The whole-block kernel induction with the obligations after the loop split by pb."""

    def exit(self, shape):
        obs, decided = super().exit(shape)
        hyps = self.windows["num"][3] if "num" in self.windows else None
        return split_by_pb(obs, hyps), decided

    def zero(self, shape):
        obs, decided = super().zero(shape)
        return split_by_pb(obs), decided


class PartialGroupLoop(KernelGroupLoop):
    """len = 16·(4·(num + 1) + t − 1) + pb, 0 ≤ num < 2^54 (t = params['tail_blocks']):
    the blocks after the loop are t, the last of them partial."""
    induction_class = PartialStreamInduction
    public_inputs = ("pb",)             # part of the length: public for the CT check
    cut_default = True                  # Xi once for every pb (encryption)

    def title(self):
        if self.all_lengths:
            return (f"{self.name} (len = 16·(4·(num + 1) + {self.tail_blocks - 1}) + pb, "
                    f"1 ≤ pb ≤ 15, 0 ≤ num < 2^{NUM_BITS})")
        return super().title()

    @property
    def length(self) -> int:
        if not self.all_lengths and "bytes" in self.params:       # counterexamples
            return int(self.params["bytes"])
        return super().length

    def bit_length(self):
        """x1 = 8·len = 128·(m − 1) + 8·pb: (m − 1)'s low 57 bits, pb, 3 zero bits."""
        whole = add(mul(const(4, 64), NUM), const(3 + self.tail_blocks, 64))
        return concat(extract(whole, 56, 0), PB, const(0, 3))

    def hashed_tail(self, data: list) -> list:
        return self.cut_last(masked_last(data, lambda j: const(0, 8)))     # zero-padded

    def written_tail(self, data: list) -> list:
        # past the length the kernel stores out's own bytes back: the after-loop
        # window's initial bytes (``StreamInduction`` names them out@num[j])
        return masked_last(data, lambda j: var(f"out@num[{j}]", 8))

    def fold_statement(self, image):
        stmt = super().fold_statement(image)
        stmt.facts = (*stmt.facts, (PB_FACT, PB_WORDS))
        return stmt

    def bounded_params(self, num: int) -> dict:
        m = 4 * (num + 1) + self.tail_blocks
        return {**self.params, "all_lengths": False, "blocks": m,
                "bytes": 16 * (m - 1) + getattr(self, "cex_pb", 1)}

    def _bounded_counterexample(self, report, object_spec, patches, timeout, results):
        self.cex_pb = first_failed_pb(results)
        super()._bounded_counterexample(report, object_spec, patches, timeout, results)

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        report = super().check(object_spec, patches, timeout, replay)
        if self.all_lengths:
            report.trusted_base.append(TRUST)
        return report


class _Where(tuple):
    """An output's place, read with pb substituted (``pb``); ``("cut", j)``: byte j of the
    value at the cut; ``kept``: stated over the cut's fresh value."""
    pb = None
    kept = False

    def __new__(cls, where, pb=None, kept=False):
        self = super().__new__(cls, where)
        self.pb, self.kept = pb, kept
        return self


class PartialTail(AesGcmKernel):
    """len = 16·whole + pb (whole = params['whole'] = 0..3): the tail alone, one run
    symbolic in pb, its outputs stated for each pb.  With ``params['full']`` the last
    block is whole instead (len = 16·(whole + 1), the bounded statement): with the
    encryption kernels' cut at the masked block (``masked_cut``) its Xi is the partial
    sizes' own obligation, proved once for both."""
    public_inputs = ("pb",)

    @property
    def whole(self) -> int:
        return int(self.params.get("whole", 0))

    @property
    def full(self) -> bool:
        return bool(self.params.get("full", False))

    @property
    def length(self) -> int:
        return int(self.params.get("bytes", 16 * self.whole + (16 if self.full else 15)))

    def title(self):
        if self.full:
            return super().title()
        return f"{self.name} (len = {16 * self.whole} + pb, 1 ≤ pb ≤ 15)"

    def sizes(self) -> list:
        """(bytes of the last block, its name prefix, pb substituted in its terms)."""
        if self.full:
            return [(16, "", None)]
        return [(b, f"[pb = {b}] ", b) for b in range(1, 16)]

    def setup(self, image):
        padded = 16 * (self.whole + 1)
        x1 = const(8 * padded, 64) if self.full else concat(const(self.whole, 57), PB,
                                                             const(0, 3))
        regions, regs = self.kernel_state(padded, padded, x1)
        return Setup(regs, regions, wording={} if self.full else {PB_FACT: PB_WORDS})

    def execute(self, image):
        st, setup = self.start(image)
        # the tail's branches compare the byte count with 16, 32, 48: z3 under 1 ≤ pb ≤ 15
        st.mem = copy_memory(st.mem, into=HypothesisMemory(Hypotheses([PB_FACT])))
        # the masked block: the rest of the run over v5@masked, Xi once for every pb
        self.cut, self.memos = masked_cut(self), {}
        self.cut.run(st, image.symbol(self.symbol).addr, self.max_steps, RETURN)
        st.run(RETURN, self.max_steps)
        return st, setup

    def postcondition(self, st, setup):
        outs, cut = [], self.cut
        for b, prefix, pb in self.sizes():
            self.params["bytes"] = 16 * self.whole + b
            for o in super().postcondition(st, setup):
                if o.name != AGGREGATED:            # Xi: once for all pb, below
                    outs.append(Output(f"{prefix}{o.name}", _Where(o.where, pb=pb), o.spec))
            # the cut's bytes: the last block of ciphertext, zero-padded
            last = self.ciphertext(st)[16 * self.whole:]
            for j, e in enumerate(last + [const(0, 8)] * (16 - b)):
                outs.append(Output(f"{prefix}cut at +{cut.offset:#x}: v5 byte {j} = the "
                                   f"statement's", _Where(("cut", j), pb=pb), e))
        # Xi over the whole blocks and the cut's value
        self.params["bytes"] = 16 * self.whole + 1
        blocks = self.ciphertext(st)[:16 * self.whole] + cut.bytes()
        Y = kernel_aggregated([self.H, *self.P], gcm.pad_blocks(blocks), self.Xi0)
        outs.append(Output(AGGREGATED, _Where(("mem", "Xi", 0, 16), kept=True), as_memory(Y)))
        del self.params["bytes"]
        return outs

    def output_term(self, st, where):
        cut = self.cut
        if where[0] == "cut":
            term = extract(cut.cut_term[cut.fresh], 8 * where[1] + 7, 8 * where[1])
        else:
            term = RoutineProof.output_term(st, where)
            if not getattr(where, "kept", False):   # v5's term back (the frame's too)
                term = substitute(term, cut.cut_term, self.memos.setdefault("cut", {}))
        pb = getattr(where, "pb", None)
        if pb is None:
            return term
        return substitute(term, {PB: const(pb, 4)}, self.memos.setdefault(pb, {}))

    def corollaries(self, st, setup):
        return []            # Algorithm 2: the split's group identities (1 to 8 blocks)

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        report = super().check(object_spec, patches, timeout, replay=False)
        if report.status != "refuted":
            if report.status == "proved":
                if not self.full:
                    report.trusted_base += [f"precondition (stated): {PB_WORDS}", TRUST]
                report.trusted_base.append(self.cut.trusted())
            return report
        # a refutation is replayed by the bounded proof of its length, pb concrete
        pb = 16 if self.full else first_failed_pb(report.results)
        bounded = AesGcmKernel(bits=self.bits, decrypt=self.decrypt, bytes=16 * self.whole + pb)
        concrete = bounded.check(object_spec, patches, timeout, replay)
        self.confirmed = getattr(bounded, "confirmed", False)
        self.params["blocks"] = self.whole + 1
        if concrete.status != "refuted":    # not shown at that length: not proved either
            report.status = "stuck"
            report.replay = (f"refuted for some pb, but the bounded proof at len = "
                             f"{bounded.length} bytes is {concrete.status}")
            return report
        what = "" if self.full else f" (pb = {pb})"
        concrete.replay = f"counterexample at len = {bounded.length} bytes{what}:\n{concrete.replay}"
        return concrete


def cut_whole(proof):
    """A whole-block case's proof with the cut at the masked block: the bounded tail
    (n ≤ 4) as ``PartialTail`` with a whole last block, an induction with ``cut``."""
    if getattr(proof, "all_lengths", False):
        return type(proof)(**proof.params, cut=True)
    return PartialTail(bits=proof.bits, decrypt=proof.decrypt, whole=proof.blocks - 1,
                       full=True)


def covers_partial_tail(t: int):
    """len = 16·(4·(num + 1) + t − 1) + pb, 1 ≤ pb ≤ 15, 0 ≤ num < 2^54."""
    r = urem(N, const(64, 64))
    return and_(ugt(r, const(16 * (t - 1), 64)), ult(r, const(16 * t, 64)),
                uge(N, const(64 + 16 * (t - 1) + 1, 64)),
                ult(N, const(16 * (4 * ((1 << NUM_BITS) + 1) + t), 64)))


def in_blocks(case: Case) -> Case:
    """A whole-block case (covers over the block count) as one over the byte length."""
    blocks = substitute(case.covers, {N: lshr(N, 4)})
    return Case(case.label.replace("n = ", "len = 16·n, n = ", 1),
                and_(eq(urem(N, const(16, 64)), const(0, 64)), blocks), case.proof)


class AesGcmKernelEveryLength(CaseSplit, AesGcmKernel):
    """aes_gcm_{enc,dec}_{bits}_kernel for every len, 1 ≤ len < 2^60 bytes (bit_length =
    8·len): the whole-block cases, and the partial ones by pb."""
    bound_bits = BOUND_BITS
    split_over = "the length in bytes n (= len; bit_length = 8·n)"
    public_inputs = ("pb",)

    def title(self):
        return (f"{self.name} (every length, bit_length = 8·len, 1 ≤ len < 2^{BOUND_BITS})")

    def cases(self) -> list:
        """Ordered by length (a refutation names the smallest case): len = 16·w + pb
        before 16·(w + 1), then per tail t the partial induction before the whole one."""
        bits, dec = self.bits, self.decrypt
        whole = [in_blocks(c) for c in AesGcmKernelAllLengths(bits=bits, decrypt=dec).cases()]
        # cut at the masked block: each whole-block case's Xi is its partial case's
        whole = [Case(c.label, c.covers, cut_whole(c.proof)) for c in whole]
        short = [Case(f"len = {16 * w} + pb, 1 ≤ pb ≤ 15",
                      and_(ugt(N, const(16 * w, 64)), ult(N, const(16 * w + 16, 64))),
                      PartialTail(bits=bits, decrypt=dec, whole=w)) for w in range(SHORT)]
        loops = [Case(f"len = 16·(4·(num + 1) + {t - 1}) + pb, 1 ≤ pb ≤ 15, "
                      f"0 ≤ num < 2^{NUM_BITS}", covers_partial_tail(t),
                      PartialGroupLoop(bits=bits, decrypt=dec, all_lengths=True,
                                       tail_blocks=t)) for t in range(1, 5)]
        return [c for pair in zip(short + loops, whole) for c in pair]

    def derived(self, results: list) -> tuple:
        """Algorithm 2 for every len: kernel_aggregated over m ≤ 8 blocks (the tail alone,
        or the last group and the tail) is m Algorithm 2 steps at P_m = H^m, for any
        blocks, so for the zero-padded last one; longer inputs fold groups of 4."""
        groups = [group_identity(m) for m in range(1, 9)]
        missing = [g.name for g in groups if g.status != "proved"]
        name = (f"{STANDARD} for every 1 ≤ len < 2^{BOUND_BITS} (the last block zero-padded), "
                f"when P_m = H^m")
        every = (ObligationResult(name, "stuck", "corollary", 0.0,
                                  detail=f"not derived: not proved: {missing}") if missing else
                 ObligationResult(name, "proved", "ring+field-laws, induction over groups", 0.0,
                                  detail="the cases' aggregated Xi and the group identities "
                                         "for 1 to 8 blocks"))
        _, lines = AesGcmKernelAllLengths.derived(self, [])
        return groups + [every], lines


__all__ = ["AesGcmKernelEveryLength", "PartialGroupLoop", "PartialTail", "split_by_pb"]
