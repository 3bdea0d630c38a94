"""The machine: decoding (``decoder``), lifting an instruction's ASL-faithful
``execute`` to a summary (``lift``), the ASL vocabulary the semantics use
(``asl``), the capstone adapter (``disasm``) and concrete memory (``memory``)."""
