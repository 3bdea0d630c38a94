"""Constant time and memory safety, as observers of a symbolic run.

``secrets`` (which inputs are secret; independence of a term from them),
``ct`` (branches, addresses and non-DIT instructions on secrets), ``dit``
(Arm's data-independent-timing list by encoding class), ``verdict`` (the yes/no/unknown both observers give), ``memory`` (in-region
accesses, stack depth, uninitialised stack reads), ``collector`` (both
observers on every state of a proof run, and their verdicts), ``contract``
(the ``lnsym ct`` notation), ``check`` (``lnsym ct``: a routine with no
functional spec) and ``replay`` (a violation's pair of secrets run concretely).
"""
