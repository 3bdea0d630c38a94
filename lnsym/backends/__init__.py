"""Backends over the lifted summaries: ``concrete`` (compiled basic blocks),
``symbolic`` (terms over named regions), ``runner`` (calling a routine
concretely) and ``snippet`` (running a few words, for tests)."""
