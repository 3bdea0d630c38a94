"""Proofs: reference specifications (``proofs.specs``) and one proof script per routine."""

from lnsym.proof.replay import register_trace_recorder


def _qemu_record(image, symbol, regs, writes):
    """Counterexample replay under QEMU (imported on first use: specs stay light)."""
    from conformance.trace import record
    return record(image, symbol, regs, writes)


register_trace_recorder(_qemu_record)
