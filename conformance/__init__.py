"""Conformance of lnsym's instruction semantics with real executions (see README.md).

``cosim``: random instruction cases through a batched QEMU/native harness
and lnsym's model; ``trace``: whole routines recorded and replayed.
"""
