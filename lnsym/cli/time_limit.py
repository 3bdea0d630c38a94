"""A wall-clock limit on one proof, for ``lnsym prove --time-limit``.

Proofs run in this process, so the limit is ``SIGALRM`` (``setitimer``):
when it fires, ``TimeLimitExceeded`` is raised in the main thread at the
next Python instruction and the proof becomes an error row.  A long call into
C (one z3 query) is not interrupted; it ends first, and each such call is
bounded by the solver ``--timeout``.  So a proof stops within the time limit
plus at most one ``--timeout``.  The exception derives from ``BaseException``
so that no ``except Exception`` inside a proof swallows it; one raised where
Python drops exceptions (a weakref callback, ``__del__``) is raised again 50 ms
later, and a block that ends after the limit fired still ends in the exception.
Where there is no ``SIGALRM`` (or off the main thread) the limit is refused,
never ignored.
"""
from __future__ import annotations

import contextlib
import signal
import threading

from lnsym.errors import UserError

RETRY_SECONDS = 0.05


class TimeLimitExceeded(BaseException):
    def __init__(self, seconds: float):
        super().__init__(f"the proof did not finish within --time-limit {seconds:g} s")
        self.seconds = seconds


def check_supported() -> None:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        raise UserError("--time-limit needs SIGALRM in the main thread, which this "
                        "platform or caller does not provide")


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimitExceeded inside the block after ``seconds`` (None: no limit)."""
    if seconds is None:
        yield
        return

    state = {"active": True, "expired": False}

    def expire(signum, frame):
        if not state["active"]:          # the block is being left: nothing to stop
            return
        # Re-armed first: an exception raised while Python runs a weakref callback or
        # __del__ is printed and dropped, so the signal comes again until one lands.
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        state["expired"] = True
        raise TimeLimitExceeded(seconds)
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        state["active"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if state["expired"]:                 # it fired but was dropped, and the block ended
        raise TimeLimitExceeded(seconds)
