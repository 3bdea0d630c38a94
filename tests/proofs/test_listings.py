"""The committed listings list the constant data the proofs read: the words a
proof's symbolic run loads from read-only sections are the listing's data words."""
from __future__ import annotations

import pytest

from lnsym.elf.image import load_image
from proofs import registry
from proofs.listing import data_reads

pytestmark = pytest.mark.openssl


@pytest.mark.parametrize("name,tables", [("sha256_block_armv8/1", 1), ("sha512_block_armv8/1", 1),
                                         ("sha1_block_armv8/1", 1),
                                         ("aes_v8_set_encrypt_key/256", 1),
                                         ("KeccakF1600_ce", 1), ("gcm_init_v8", 0)])
def test_listing_data_words_are_the_words_read(name, tables, openssl_lib):
    proof = registry.make(name)
    image = load_image(f"{openssl_lib}:{proof.member}")
    base = image.symbol(proof.symbol).addr
    read = {(a - base) & ~3 for a in data_reads(proof, image)}
    listed = {off for off, _w, text in proof.listing if text == "data"}
    assert read <= listed
    if name.startswith("sha") or name == "KeccakF1600_ce":
        assert read == listed                   # the same words for every variant
    assert bool(listed) == bool(tables)
    for off, word, text in proof.listing:
        if text == "data":
            assert int.from_bytes(image.read(base + off, 4), "little") == word
