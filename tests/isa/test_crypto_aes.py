"""AESE, AESD, AESMC, AESIMC: known answers from FIPS-197 (Appendices A.1, B and C.1)."""
from __future__ import annotations

import random

import pytest

from isa_specs.pseudocode.aes import INV_SBOX, SBOX
from lnsym.backends.snippet import run_words
from lnsym.machine.lift import lift
from lnsym.terms.bv import var


def AESE(d, n):
    return 0x4E284800 | n << 5 | d


def AESD(d, n):
    return 0x4E285800 | n << 5 | d


def AESMC(d, n):
    return 0x4E286800 | n << 5 | d


def AESIMC(d, n):
    return 0x4E287800 | n << 5 | d


def v(hexbytes: str) -> int:
    """A 128-bit register value holding these bytes, byte 0 first (as ld1 {v.16b} loads them)."""
    return int.from_bytes(bytes.fromhex(hexbytes), "little")


def hexof(value: int) -> str:
    return value.to_bytes(16, "little").hex()


def run(words, **regs):
    st, _ = run_words(words, regs=regs)
    return st


# -- a test-local key expansion (FIPS-197 5.2) -------------------------------------------
def expand_key_128(key: bytes) -> list:
    rcon = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36]
    w = [list(key[4 * i:4 * i + 4]) for i in range(4)]
    for i in range(4, 44):
        t = list(w[i - 1])
        if i % 4 == 0:
            t = [SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon[i // 4 - 1]
        w.append([a ^ b for a, b in zip(w[i - 4], t)])
    return [bytes(sum(w[4 * r:4 * r + 4], [])) for r in range(11)]


def test_sbox_entries_from_fips197_figure7():
    assert (SBOX[0x00], SBOX[0x01], SBOX[0x53], SBOX[0x9A], SBOX[0xFF]) == (0x63, 0x7C, 0xED, 0xB8, 0x16)
    assert (INV_SBOX[0x00], INV_SBOX[0x63], INV_SBOX[0xED], INV_SBOX[0x16]) == (0x52, 0x00, 0x53, 0xFF)
    assert sorted(SBOX) == list(range(256))


def test_key_expansion_matches_appendix_a1():
    rks = expand_key_128(bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c"))
    assert rks[1].hex() == "a0fafe1788542cb123a339392a6c7605"
    assert rks[10].hex() == "d014f9a8c9ee2589e13f0cc8b6630ca6"


def test_aese_aesmc_one_round_appendix_b():
    # AESE = SubBytes(ShiftRows(state EOR key)); the input EOR the cipher key is
    # FIPS-197 Appendix B "Start of Round 1".
    st = run([AESE(0, 1)], v0=v("3243f6a8885a308d313198a2e0370734"),
             v1=v("2b7e151628aed2a6abf7158809cf4f3c"))
    assert hexof(st.v[0]) == "d4bf5d30e0b452aeb84111f11e2798e5"     # after ShiftRows of round 1
    st = run([AESMC(2, 0)], v0=st.v[0])
    assert hexof(st.v[2]) == "046681e5e0cb199a48f8d37a2806264c"     # after MixColumns of round 1
    assert hexof(st.v[0]) == "d4bf5d30e0b452aeb84111f11e2798e5"     # source untouched


def encrypt_words():
    words = []
    for r in range(10):
        words.append(AESE(0, r + 1))          # round key r in v(r+1)
        if r < 9:
            words.append(AESMC(0, 0))
    return words


@pytest.mark.parametrize("plaintext,key,ciphertext", [
    ("3243f6a8885a308d313198a2e0370734", "2b7e151628aed2a6abf7158809cf4f3c",
     "3925841d02dc09fbdc118597196a0b32"),                                  # Appendix B
    ("00112233445566778899aabbccddeeff", "000102030405060708090a0b0c0d0e0f",
     "69c4e0d86a7b0430d8cdb78070b4c55a"),                                  # Appendix C.1
])
def test_aes128_encrypt_with_aese_aesmc(plaintext, key, ciphertext):
    rks = expand_key_128(bytes.fromhex(key))
    regs = {"v0": v(plaintext)}
    regs.update({f"v{r + 1}": v(rks[r].hex()) for r in range(10)})
    st = run(encrypt_words(), **regs)
    assert hexof(st.v[0] ^ v(rks[10].hex())) == ciphertext


@pytest.mark.parametrize("plaintext,key,ciphertext", [
    ("3243f6a8885a308d313198a2e0370734", "2b7e151628aed2a6abf7158809cf4f3c",
     "3925841d02dc09fbdc118597196a0b32"),
    ("00112233445566778899aabbccddeeff", "000102030405060708090a0b0c0d0e0f",
     "69c4e0d86a7b0430d8cdb78070b4c55a"),
])
def test_aes128_decrypt_with_aesd_aesimc(plaintext, key, ciphertext):
    # The equivalent inverse cipher (FIPS-197 5.3.5): middle round keys go through
    # InvMixColumns, computed here with AESIMC itself.
    rks = [v(k.hex()) for k in expand_key_128(bytes.fromhex(key))]
    dec_keys = [rks[10]] + [run([AESIMC(0, 1)], v1=rks[r]).v[0] for r in range(9, 0, -1)]
    words = []
    for i in range(10):
        words.append(AESD(0, i + 1))
        if i < 9:
            words.append(AESIMC(0, 0))
    regs = {"v0": v(ciphertext)}
    regs.update({f"v{i + 1}": dec_keys[i] for i in range(10)})
    st = run(words, **regs)
    assert hexof(st.v[0] ^ rks[0]) == plaintext


def test_aesd_inverts_aese_and_aesimc_inverts_aesmc():
    rng = random.Random(197)
    for _ in range(20):
        state, key = rng.getrandbits(128), rng.getrandbits(128)
        enc = run([AESE(0, 1)], v0=state, v1=key).v[0]
        # AESD(AESE(s ^ k) , 0) undoes the byte substitution and row shift: gives s ^ k
        assert run([AESD(0, 1)], v0=enc, v1=0).v[0] == state ^ key
        mixed = run([AESMC(3, 0)], v0=state).v[3]
        assert run([AESIMC(4, 3)], v3=mixed).v[4] == state


def test_aesmc_column_from_fips197_5_1_3():
    # the classic MixColumns example column db 13 53 45 -> 8e 4d a1 bc, in every column
    st = run([AESMC(1, 1)], v1=v("db135345" * 4))
    assert hexof(st.v[1]) == "8e4da1bc" * 4


def test_lifted_aese_is_sixteen_table_lookups():
    s = lift(AESE(0, 1))
    assert set(s.writes) == {"v0"}
    seen, stack, lookups = set(), [s.writes["v0"]], 0
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        lookups += t.op == "lookup"
        stack.extend(t.args)
    assert lookups == 16
    assert s.reads == {"v0", "v1"}
    assert var("v1", 128) in seen
