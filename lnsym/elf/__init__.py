"""From objects to bytes at addresses: ELF loading with relocations (``image``,
``relocs``), ``ar`` archives (``archive``) and the target libraries (``targets``).

``lnsym.elf`` re-exports the loader's public names, as the 0.1 module did."""
from lnsym.elf.image import (  # noqa: F401
                             EXTERN_SIZE,
                             PAGE,
                             REL_BASE,
                             RELOC_NAMES,
                             Image,
                             Segment,
                             Symbol,
                             load_image,
                             patch_relocation,
)
