"""Decode-time errors raised by instruction semantics.

``lnsym.decoder`` catches them and re-raises with the word, its address and
capstone's disassembly filled in, so every message names the instruction.
"""


class DecodeError(Exception):
    """A word lnsym cannot turn into an instruction."""

    kind = "undecodable"

    def __init__(self, reason: str = "", word: int | None = None, address: int | None = None,
                 text: str | None = None):
        self.reason = reason
        self.word = word
        self.address = address
        self.text = text
        super().__init__(self.describe())

    def describe(self) -> str:
        parts = [self.kind, "instruction"]
        if self.word is not None:
            parts.append(f"{self.word:#010x}")
        if self.text:
            parts.append(f"({self.text})")
        if self.address is not None:
            parts.append(f"at {self.address:#x}")
        msg = " ".join(parts)
        return f"{msg}: {self.reason}" if self.reason else msg

    def located(self, word: int, address: int | None, text: str | None):
        """A copy of this error naming the word, address and disassembly."""
        return type(self)(self.reason, word, address, text)


class Unallocated(DecodeError):
    """The encoding is unallocated or reserved in the architecture (UNDEFINED)."""

    kind = "unallocated"


class Unimplemented(DecodeError):
    """A valid instruction whose semantics lnsym does not model."""

    kind = "unimplemented"
