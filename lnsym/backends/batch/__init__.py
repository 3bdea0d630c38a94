"""The batch backend: one routine, many inputs (lanes) at once, on numpy."""
from lnsym.backends.batch.run import BatchResult, run_batch  # noqa: F401
