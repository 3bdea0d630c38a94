"""SM3 and SM4 instructions: the SM3 hash of 'abc' (GB/T 32905 example A.1) computed with
SM3SS1/SM3TT*/SM3PARTW*, and SM4 (GB/T 32907 example A.1) with SM4EKEY/SM4E, plus SM4
against the 'cryptography' package on random blocks."""
from __future__ import annotations

import random

import pytest

from isa_specs.simd.crypto_sm4 import SM4_SBOX
from lnsym.backends.snippet import run_words
from lnsym.machine.decoder import decode

M32 = 0xFFFFFFFF
SM3SS1, SM3PARTW1, SM3PARTW2 = 0xCE400000, 0xCE60C000, 0xCE60C400
SM3TT = 0xCE408000          # | imm2 << 12 | opcode << 10
SM4E, SM4EKEY = 0xCEC08400, 0xCE60C800


def enc(base, d, n, m=0, a=0):
    return base | m << 16 | a << 10 | n << 5 | d


def vec(words32) -> int:
    return sum((w & M32) << (32 * i) for i, w in enumerate(words32))


def elems(value: int) -> list:
    return [(value >> (32 * i)) & M32 for i in range(4)]


def exec1(word, d=0, **regs) -> int:
    st, _ = run_words([word], regs=regs)
    return st.v[d]


def rol(x, k):
    k %= 32
    return ((x << k) | (x >> (32 - k))) & M32


# -- SM3 ----------------------------------------------------------------------------------
SM3_IV = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600,
          0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]


def sm3_expand_with_instructions(W):
    for j in range(16, 68, 4):
        x = exec1(enc(SM3PARTW1, 0, 1, 2), v0=vec(W[j - 9:j - 5]), v1=vec(W[j - 16:j - 12]),
                  v2=vec(W[j - 4:j]))
        x = exec1(enc(SM3PARTW2, 0, 1, 2), v0=x, v1=vec(W[j - 6:j - 2]), v2=vec(W[j - 13:j - 9]))
        W.extend(elems(x))
    return W


def test_sm3partw_matches_the_standard_expansion():
    rng = random.Random(3)
    W = [rng.getrandbits(32) for _ in range(16)]
    model = list(W)
    for j in range(16, 68):
        x = model[j - 16] ^ model[j - 9] ^ rol(model[j - 3], 15)
        model.append(x ^ rol(x, 15) ^ rol(x, 23) ^ rol(model[j - 13], 7) ^ model[j - 6])
    assert sm3_expand_with_instructions(W) == model


def sm3_compress_with_instructions(V, block: bytes):
    W = sm3_expand_with_instructions([int.from_bytes(block[4 * i:4 * i + 4], "big")
                                      for i in range(16)])
    Wp = [W[j] ^ W[j + 4] for j in range(64)]
    A, B, C, D, E, F, G, H = V
    for j in range(64):
        T = 0x79CC4519 if j < 16 else 0x7A879D8A
        ss1 = exec1(enc(SM3SS1, 3, 0, 1, a=2), d=3, v0=A << 96, v1=E << 96, v2=rol(T, j) << 96)
        q, i = 4 * (j // 4), j % 4
        opcode_b = 0 if j < 16 else 1
        tt1 = exec1(enc(SM3TT | i << 12 | opcode_b << 10, 0, 3, 1), v0=vec([D, C, B, A]),
                    v3=ss1, v1=vec(Wp[q:q + 4]))
        tt2 = exec1(enc(SM3TT | i << 12 | (2 + opcode_b) << 10, 0, 3, 1), v0=vec([H, G, F, E]),
                    v3=ss1, v1=vec(W[q:q + 4]))
        D, C, B, A = elems(tt1)
        H, G, F, E = elems(tt2)
    return [x ^ y for x, y in zip(V, [A, B, C, D, E, F, G, H])]


def test_sm3_abc_example():
    msg = b"abc"
    block = msg + b"\x80" + b"\0" * (55 - len(msg)) + (8 * len(msg)).to_bytes(8, "big")
    out = b"".join(x.to_bytes(4, "big") for x in sm3_compress_with_instructions(SM3_IV, block))
    assert out.hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3ss1_zeroes_the_low_words():
    x = exec1(enc(SM3SS1, 0, 1, 2, a=3), v0=(1 << 128) - 1, v1=1 << 96, v2=2 << 96, v3=3 << 96)
    assert x == rol(rol(1, 12) + 2 + 3, 7) << 96


# -- SM4 ----------------------------------------------------------------------------------
FK = [0xA3B1BAC6, 0x56AA3350, 0x677D9197, 0xB27022DC]
CK = [int.from_bytes(bytes(((4 * i + j) * 7) & 0xFF for j in range(4)), "big") for i in range(32)]


def test_sm4_sbox_entries_from_the_standard():
    assert SM4_SBOX[:8] == (0xD6, 0x90, 0xE9, 0xFE, 0xCC, 0xE1, 0x3D, 0xB7)
    assert SM4_SBOX[-4:] == (0xD7, 0xCB, 0x39, 0x48)


def words_be(data: bytes) -> list:
    return [int.from_bytes(data[4 * i:4 * i + 4], "big") for i in range(4)]


def sm4_encrypt_with_instructions(key: bytes, block: bytes) -> bytes:
    k = vec([a ^ b for a, b in zip(words_be(key), FK)])
    rk = []
    for g in range(8):
        k = exec1(enc(SM4EKEY, 0, 1, 2), v1=k, v2=vec(CK[4 * g:4 * g + 4]))
        rk.append(k)
    x = vec(words_be(block))
    for g in range(8):
        x = exec1(enc(SM4E, 0, 1), v0=x, v1=rk[g])
    return b"".join(w.to_bytes(4, "big") for w in reversed(elems(x)))


def test_sm4_standard_example():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert sm4_encrypt_with_instructions(key, key).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_against_cryptography():
    from cryptography.hazmat.primitives import ciphers
    rng = random.Random(4)
    for _ in range(8):
        key, block = rng.randbytes(16), rng.randbytes(16)
        e = ciphers.Cipher(ciphers.algorithms.SM4(key), ciphers.modes.ECB()).encryptor()
        assert sm4_encrypt_with_instructions(key, block) == e.update(block) + e.finalize()


@pytest.mark.parametrize("word,text", [
    (enc(SM3SS1, 0, 1, 2, a=3), "sm3ss1 v0.4s, v1.4s, v2.4s, v3.4s"),
    (enc(SM3PARTW1, 0, 1, 2), "sm3partw1 v0.4s, v1.4s, v2.4s"),
    (enc(SM3PARTW2, 0, 1, 2), "sm3partw2 v0.4s, v1.4s, v2.4s"),
    (enc(SM3TT | 3 << 12 | 1 << 10, 0, 1, 2), "sm3tt1b v0.4s, v1.4s, v2.s[3]"),
    (enc(SM3TT | 2 << 12 | 2 << 10, 0, 1, 2), "sm3tt2a v0.4s, v1.4s, v2.s[2]"),
    (enc(SM4E, 0, 1), "sm4e v0.4s, v1.4s"),
    (enc(SM4EKEY, 0, 1, 2), "sm4ekey v0.4s, v1.4s, v2.4s"),
])
def test_disassembly(word, text):
    assert decode(word).disasm() == text
