"""Progress on long runs, always on stderr (stdout stays a clean report or JSON).

On a terminal one live line is redrawn in place; otherwise a plain line is
written every ``LNSYM_PROGRESS_SECONDS`` seconds (default 30), so CI logs show
that a long run is alive without filling up.

``ProofWatch`` follows one proof from a background thread: the phase
(loading, executing, proving), the instructions executed so far (the
proof's ``last_state.steps``) and the obligations closed (it counts calls of
``lnsym.prover.engine.prove_equal``, one per obligation, for the duration of
the proof).
"""
from __future__ import annotations

import os
import sys
import threading
import time


def plain_interval() -> float:
    try:
        return max(0.05, float(os.environ.get("LNSYM_PROGRESS_SECONDS", "30")))
    except ValueError:
        return 30.0


class ProgressLine:
    """A status line: redrawn on a terminal, a periodic plain line otherwise."""

    def __init__(self, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self.interval = plain_interval()
        self.last = time.monotonic()
        self.width = 0

    def update(self, text: str, force: bool = False) -> None:
        if not self.enabled:
            return
        if self.tty:
            pad = max(0, self.width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.width = len(text)
            self.stream.flush()
        elif force or time.monotonic() - self.last >= self.interval:
            self.last = time.monotonic()
            print(f"[progress] {text}", file=self.stream, flush=True)

    def clear(self) -> None:
        if self.tty and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


class ProofWatch:
    """``with ProofWatch(line, name, proof):`` reports the proof's progress every 0.5 s."""

    def __init__(self, line: ProgressLine, name: str, proof, poll: float = 0.5):
        self.line, self.name, self.proof, self.poll = line, name, proof, poll
        self.closed = 0
        self.proving = False
        self.t0 = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._engine = None

    def status(self) -> str:
        st = getattr(self.proof, "last_state", None)
        steps = getattr(st, "steps", 0) if st is not None else 0
        phase = ("proving" if self.proving else "executing" if st is not None else "loading")
        return (f"{self.name}: {phase}, {steps} instructions executed, {self.closed} "
                f"obligations closed, {time.monotonic() - self.t0:.0f}s")

    def _loop(self) -> None:
        while not self._stop.wait(self.poll):
            self.line.update(self.status())

    def _count(self, prove_equal):
        def counted(*a, **k):
            self.proving = True
            try:
                return prove_equal(*a, **k)
            finally:
                self.closed += 1
        return counted

    def __enter__(self):
        if self.line.enabled:
            from lnsym.prover import engine
            if callable(getattr(engine, "prove_equal", None)):
                self._engine = (engine, engine.prove_equal)
                engine.prove_equal = self._count(engine.prove_equal)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._engine is not None:
            engine, original = self._engine
            engine.prove_equal = original
        self.line.clear()
        return False
