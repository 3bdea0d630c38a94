"""Proof: ChaCha20_ctr32 with the NEON bit set, every length 1 ≤ len ≤ 2^38.

Statement: with OPENSSL_armcap_P's NEON bit (bit 0) set, the other bits free (as on
every AArch64 CPU OpenSSL runs on), for every 1 ≤ len ≤ 2^38 with counter +
⌈len/64⌉ ≤ 2^32, ``ChaCha20_ctr32(out, inp, len, key, counter)`` writes out[i] =
inp[i] XOR key-stream byte i (RFC 8439 §2.4.1), partial last block included, and
returns with the frame of ``proofs.chacha20_neon``.

Three statements, one per range of len, together cover every length (checked by z3):

* len < 192: the scalar loop (``proofs.chacha20_all``'s induction, its base run only
  below 192 bytes, where the routine never reads OPENSSL_armcap_P);
* 192 ≤ len < 512: ChaCha20_neon's 5-block loop by cases (``proofs.chacha20_neon_all``);
* len ≥ 512: the induction over ChaCha20_512_neon's loop, the remainder by cases
  (``proofs.chacha20_512_all``).
"""
from __future__ import annotations

import dataclasses

from lnsym.backends.hypotheses import Hypotheses
from lnsym.proof.routine import ProofReport
from lnsym.terms.bv import const, ult
from proofs.chacha20_512_all import ChaCha20Neon512Lengths
from proofs.chacha20_all import LEN, LEN_BITS, ChaCha20Ctr32AllLengths, satisfiable
from proofs.chacha20_neon_all import ChaCha20NeonLengths, neon_bit_set


class ChaCha20Ctr32NeonBelow192(ChaCha20Ctr32AllLengths):
    """ChaCha20_ctr32's scalar loop below 192 bytes with the NEON bit set."""
    public_inputs = ("armcap_hi", "len")

    def title(self):
        return (f"{self.name} (every length 1 ≤ len < 192, counter + ⌈len/64⌉ ≤ 2^32; "
                f"OPENSSL_armcap_P bit 0 set: the scalar path below 192 bytes)")

    def setup(self, image):
        return neon_bit_set(super().setup(image), image)

    def facts(self) -> list:
        return [*super().facts(), ult(LEN, const(192, 64))]

    @staticmethod
    def base_cases() -> tuple:
        return (("len < 192", ult(LEN, const(192, 64))),)


PARTS = (("len < 192", ChaCha20Ctr32NeonBelow192),
         ("192 ≤ len < 512", ChaCha20NeonLengths),
         ("len ≥ 512", ChaCha20Neon512Lengths))


class ChaCha20NeonEveryLength(ChaCha20Neon512Lengths):
    """The three statements as one row: every 1 ≤ len ≤ 2^38 with the NEON bit set."""

    def title(self):
        return (f"{self.name} via ChaCha20_ctr32 (every length 1 ≤ len ≤ 2^{LEN_BITS}, "
                f"counter + ⌈len/64⌉ ≤ 2^32; NEON path: OPENSSL_armcap_P bit 0 set)")

    def coverage_of_parts(self):
        """len < 192, 192 ≤ len < 512 and len ≥ 512 cover every length of the statement."""
        import z3

        from lnsym.proof.induction import by_hypotheses
        hyps = satisfiable(Hypotheses(ChaCha20Ctr32AllLengths.facts(self)))

        def claim(low):
            n = low(LEN)
            return z3.Or(z3.ULT(n, 192), z3.And(z3.UGE(n, 192), z3.ULT(n, 512)), z3.UGE(n, 512))
        return by_hypotheses("cases: len < 192, 192 ≤ len < 512 and len ≥ 512 cover every "
                             "length", hyps, claim)

    def check(self, object_spec=None, patches=None, timeout=60.0, replay=True):
        if not self.params.get("all_lengths"):
            return super().check(object_spec, patches, timeout, replay)
        from lnsym.elf.image import load_image
        from lnsym.proof.routine import patched
        self.setup_ = self.setup(patched(load_image(object_spec or self.object_spec()),
                                         patches or {}))
        results, trusted, parts = [self.coverage_of_parts()], [], []
        for label, cls in PARTS:
            part = cls(**self.params)
            report = part.check(object_spec, patches, timeout, replay)
            parts.append((label, part, report))
            results += [dataclasses.replace(r, name=f"{label}: {r.name}") for r in report.results]
            trusted += [t for t in report.trusted_base if t not in trusted]
        return self.merged(parts, results, trusted)

    def merged(self, parts: list, results: list, trusted: list) -> ProofReport:
        """One report: the worst status (refuted, error, stuck), the sums of steps and
        times, each part's replay under its range of len."""
        reports = [r for _l, _p, r in parts]
        statuses = [r.status for r in reports]
        status = next((s for s in ("refuted", "error", "stuck") if s in statuses), "proved")
        if status == "proved" and any(r.status != "proved" for r in results):
            status = "stuck"
        seconds: dict = {}
        for r in reports:
            for key, v in r.seconds.items():
                seconds[key] = seconds.get(key, 0.0) + v
        diffs = [d for r in reports for d in r.listing_diffs]
        split = ("a case split over len: len < 192, 192 ≤ len < 512, len ≥ 512 (coverage "
                 "checked by z3 above), each range proved below")
        report = ProofReport(self.title(), status, sum(r.steps for r in reports), seconds, results,
                             [split, *trusted], list(dict.fromkeys(diffs)))
        report.replay = "\n".join(f"{label}: {r.replay}" for label, _p, r in parts
                                  if r.status != "proved" and r.replay)
        report.error = next((r.error for r in reports if r.status == "error"), "")
        report.unstated = [u for r in reports for u in r.unstated]
        refuted = [(p, r) for _l, p, r in parts if r.status == "refuted"]
        if refuted:
            self.confirmed = getattr(refuted[0][0], "confirmed", False)
            report.counterexample_length = getattr(refuted[0][1], "counterexample_length", None)
        return report
