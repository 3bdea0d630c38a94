"""Backends over the lifted summaries: ``concrete`` (compiled basic blocks),
``batch`` (one routine on many inputs in lockstep, numpy lanes),
``symbolic`` (terms over named regions), ``runner`` (calling a routine
concretely) and ``snippet`` (running a few words, for tests)."""
