"""The equivalence prover: normalisation, SAT sweeping, SMT, stuck goals."""
from lnsym.prover.engine import Obligation, ObligationResult, prove_all, prove_equal

__all__ = ["Obligation", "ObligationResult", "prove_all", "prove_equal"]
