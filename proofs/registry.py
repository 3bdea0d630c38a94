"""The shipped proofs: name -> (proof class, parameters)."""
from __future__ import annotations

import importlib

# AES-GCM kernels: the sizes proved (blocks, or a 20-byte partial block); 5 and 8 blocks
# run the 4-block main loop's pipelined first pass, then the tail; 12 also one pass of
# its steady-state body.
GCM_KERNEL_SIZES = {("enc", 128): (1, 2, 3, 4, 5, 8, 12, "20bytes"),
                    ("dec", 128): (1, 4, 5, 8, "20bytes"),
                    ("enc", 192): (1, 4, 5, 8, "20bytes"), ("dec", 192): (1, 4, 8, "20bytes"),
                    ("enc", 256): (1, 4, 5, 8, "20bytes"), ("dec", 256): (1, 4, 8, "20bytes")}
# the kernels proved for every length in bytes, a partial last block included
# (proofs/aes_gcm_kernel_partial.py): their default row NAME/all, the whole-block one
# NAME/whole
GCM_KERNEL_EVERY_LENGTH = (("dec", 128), ("dec", 192), ("dec", 256),
                           ("enc", 128), ("enc", 192), ("enc", 256))
# the composed AES-GCM proofs (proofs/aes_gcm_e2e.py): kernel statement sizes, and GCM-AE
# (blocks or a 20-byte message, AAD blocks)
GCM_E2E_SIZES = {128: (1, 4, "20bytes"), 192: (1, 4), 256: (1, 4)}
GCM_AE_E2E_CASES = {128: ((1, 0), (4, 0), (1, 1), ("20bytes", 0)), 256: ((1, 0),)}
GCM_AD_E2E_CASES = {128: ((1, 0), (4, 0), (1, 1)), 256: ((1, 0),)}   # GCM-AD: blocks, AAD blocks

# name: (module, class, params)
PROOFS = {
    # NAME/all: every block count, by induction (lnsym/proof/induction.py)
    "sha256_block_armv8/all": ("proofs.sha256_block_armv8", "Sha256BlockArmv8",
                               {"all_lengths": True}),
    "sha256_block_armv8/1": ("proofs.sha256_block_armv8", "Sha256BlockArmv8", {"blocks": 1}),
    "sha256_block_armv8/2": ("proofs.sha256_block_armv8", "Sha256BlockArmv8", {"blocks": 2}),
    "sha512_block_armv8/all": ("proofs.sha512_block_armv8", "Sha512BlockArmv8", {"all_lengths": True}),
    "sha512_block_armv8/1": ("proofs.sha512_block_armv8", "Sha512BlockArmv8", {"blocks": 1}),
    "sha512_block_armv8/2": ("proofs.sha512_block_armv8", "Sha512BlockArmv8", {"blocks": 2}),
    **{f"sha{b}_block_data_order/{v}": ("proofs.sha_block_data_order", f"Sha{b}BlockDataOrder", p)
       for b in (256, 512)
       for v, p in (("all", {"all_lengths": True}), (1, {"blocks": 1}), (2, {"blocks": 2}))},
    "sha1_block_armv8/all": ("proofs.sha1_block_armv8", "Sha1BlockArmv8", {"all_lengths": True}),
    "sha1_block_armv8/1": ("proofs.sha1_block_armv8", "Sha1BlockArmv8", {"blocks": 1}),
    "sha1_block_armv8/2": ("proofs.sha1_block_armv8", "Sha1BlockArmv8", {"blocks": 2}),
    **{f"aes_v8_set_encrypt_key/{b}": ("proofs.aes_v8_set_encrypt_key", "AesV8SetEncryptKey",
                                       {"bits": b}) for b in (128, 192, 256)},
    **{f"aes_v8_encrypt/{b}": ("proofs.aes_v8_encrypt", "AesV8Encrypt", {"bits": b})
       for b in (128, 192, 256)},
    **{f"aes_v8_e2e/{b}": ("proofs.aes_v8_e2e", "AesV8EndToEnd", {"bits": b})
       for b in (128, 192, 256)},
    **{f"aes_v8_set_decrypt_key/{b}": ("proofs.aes_v8_decrypt", "AesV8SetDecryptKey",
                                       {"bits": b}) for b in (128, 192, 256)},
    **{f"aes_v8_decrypt/{b}": ("proofs.aes_v8_decrypt", "AesV8Decrypt", {"bits": b})
       for b in (128, 192, 256)},
    **{f"aes_v8_decrypt_e2e/{b}": ("proofs.aes_v8_decrypt", "AesV8DecryptEndToEnd",
                                   {"bits": b}) for b in (128, 192, 256)},
    "KeccakF1600_ce": ("proofs.keccakf1600_ce", "KeccakF1600Ce", {}),
    "gcm_init_v8": ("proofs.gcm_init_v8", "GcmInitV8", {}),
    "gcm_gmult_v8": ("proofs.gcm_gmult_v8", "GcmGmultV8", {}),
    # every length 16·n by cases (n <= 7 bounded, inductions over the 4x loop beyond)
    "gcm_ghash_v8/all": ("proofs.gcm_ghash_v8_all", "GcmGhashV8AllLengths", {"all_lengths": True}),
    **{f"gcm_ghash_v8/{n}": ("proofs.gcm_ghash_v8", "GcmGhashV8", {"blocks": n})
       for n in range(1, 9)},
    "gcm_init+gmult_v8": ("proofs.gcm_init_v8", "GcmInitGmultV8", {}),
    "gcm_init+ghash_v8/all": ("proofs.gcm_ghash_v8_all", "GcmInitGhashV8AllLengths",
                              {"all_lengths": True}),
    **{f"gcm_init+ghash_v8/{n}": ("proofs.gcm_init_v8", "GcmInitGhashV8", {"blocks": n})
       for n in range(1, 9)},
    **{f"ChaCha20_neon/{n}": ("proofs.chacha20_neon", "ChaCha20Neon", {"length": n})
       for n in (64, 100, 192, 300, 320, 384, 500, 512, 600)},  # above 320: counter + blocks <= 2^32
    **{f"ChaCha20_ctr32/{n}": ("proofs.chacha20_neon", "ChaCha20Ctr32", {"length": n})
       for n in (40, 64, 128, 150)},                    # above 64: the same precondition
    # every length, scalar path (OPENSSL_armcap_P = 0), by induction over the block loop
    "ChaCha20_ctr32/all": ("proofs.chacha20_all", "ChaCha20Ctr32AllLengths", {"all_lengths": True}),
    # the NEON path (OPENSSL_armcap_P bit 0 set), every length below ChaCha20_512_neon's 512
    "ChaCha20_neon/192-511": ("proofs.chacha20_neon_all", "ChaCha20NeonLengths",
                              {"all_lengths": True}),
    # from 512 bytes: induction over ChaCha20_512_neon's loop, the remainder by cases
    "ChaCha20_neon/from512": ("proofs.chacha20_512_all", "ChaCha20Neon512Lengths",
                               {"all_lengths": True}),
    # every length with the NEON bit set: the three ranges (< 192 scalar, 192-511, from 512)
    "ChaCha20_neon/all": ("proofs.chacha20_neon_every", "ChaCha20NeonEveryLength",
                          {"all_lengths": True}),
    **{f"aes_gcm_{d}_{b}_kernel/{size}": (
        "proofs.aes_gcm_kernel", "AesGcmKernel",
        {"bits": b, "decrypt": d == "dec", **({"bytes": 20} if size == "20bytes" else {"blocks": size})})
       for (d, b), sizes in GCM_KERNEL_SIZES.items() for size in sizes},
    # every length 16·n (whole blocks): n <= 4 bounded, inductions over the main loop beyond;
    # NAME/whole where the every-length statement with a partial last block is NAME/all
    **{f"aes_gcm_{d}_{b}_kernel/{'whole' if (d, b) in GCM_KERNEL_EVERY_LENGTH else 'all'}": (
        "proofs.aes_gcm_kernel_all", "AesGcmKernelAllLengths",
        {"all_lengths": True, "bits": b, "decrypt": d == "dec"})
       for d in ("dec", "enc") for b in (128, 192, 256)},
    # every length in bytes, bit_length = 8·len: the whole-block cases and the partial ones
    **{f"aes_gcm_{d}_{b}_kernel/{'all' if (d, b) in GCM_KERNEL_EVERY_LENGTH else 'every'}": (
        "proofs.aes_gcm_kernel_partial", "AesGcmKernelEveryLength",
        {"all_lengths": True, "bits": b, "decrypt": d == "dec"})
       for d, b in GCM_KERNEL_EVERY_LENGTH},
    # AES-GCM composed from the calls, nothing assumed about schedule, H or Htable
    **{f"aes_gcm_e2e_{b}/{size}": (
        "proofs.aes_gcm_e2e", "AesGcmE2E",
        {"bits": b, **({"bytes": 20} if size == "20bytes" else {"blocks": size})})
       for b, sizes in GCM_E2E_SIZES.items() for size in sizes},
    **{f"aes_gcm_ae_e2e_{b}/{n}{'+aad' if a else ''}": (
        "proofs.gcm_ae_e2e", "AesGcmAeE2E",
        {"bits": b, "aad": a, **({"bytes": 20} if n == "20bytes" else {"blocks": n})})
       for b, cases in GCM_AE_E2E_CASES.items() for n, a in cases},
    **{f"aes_gcm_ad_e2e_{b}/{n}{'+aad' if a else ''}": (
        "proofs.gcm_ad_e2e", "AesGcmAdE2E", {"bits": b, "aad": a, "blocks": n})
       for b, cases in GCM_AD_E2E_CASES.items() for n, a in cases},
    # libgcrypt 1.10 (libgcrypt20-dev:arm64), stated with proofs/contracts
    **{f"_gcry_sha256_transform_armv8_ce/{v}": ("proofs.libgcrypt.sha", "GcrySha256", p)
       for v, p in (("all", {"all_lengths": True}), (1, {"blocks": 1}), (2, {"blocks": 2}))},
    **{f"_gcry_sha1_transform_armv8_ce/{v}": ("proofs.libgcrypt.sha", "GcrySha1", p)
       for v, p in (("all", {"all_lengths": True}), (1, {"blocks": 1}), (2, {"blocks": 2}))},
    **{f"_gcry_aes_enc_armv8_ce/{b}": ("proofs.libgcrypt.aes", "GcryAesEnc", {"bits": b})
       for b in (128, 192, 256)},
    **{f"_gcry_aes_dec_armv8_ce/{b}": ("proofs.libgcrypt.aes", "GcryAesDec", {"bits": b})
       for b in (128, 192, 256)},
    **{f"_gcry_aes_ctr_enc_armv8_ce/{b}": ("proofs.libgcrypt.aes", "GcryAesCtr",
                                           {"bits": b, "blocks": 1}) for b in (128, 192, 256)},
    # every block count (AES-128): n <= 7 bounded, inductions over the 4-way loop beyond
    "_gcry_aes_ctr_enc_armv8_ce/all": ("proofs.libgcrypt.ctr_all", "GcryAesCtrAllLengths",
                                       {"all_lengths": True}),
    **{f"_gcry_aes_ctr_enc_armv8_ce/all-{b}": ("proofs.libgcrypt.ctr_all", "GcryAesCtrAllLengths",
                                               {"all_lengths": True, "bits": b}) for b in (192, 256)},
    # 2-3 blocks: one block at a time; from 4: the 4-way path, split on its counter carry
    **{f"_gcry_aes_ctr_enc_armv8_ce/{b}x{n}": ("proofs.libgcrypt.aes", "GcryAesCtr",
                                               {"bits": b, "blocks": n})
       for b, sizes in ((128, (2, 3, 4, 5, 6, 7, 8)), (192, (4, 8)), (256, (4, 8))) for n in sizes},
    # the setup alone: key and the whole 80-byte table (H^2..H^6 as the code associates them)
    "_gcry_ghash_setup_armv8_ce_pmull": ("proofs.libgcrypt.ghash_setup", "GcryGhashSetup", {}),
    # the setup, then the update on its table, every block count (the two proofs composed)
    "_gcry_ghash_setup+update_armv8_ce_pmull/all": ("proofs.libgcrypt.ghash_setup",
                                                    "GcryGhashSetupUpdateAllLengths",
                                                    {"all_lengths": True}),
    **{f"_gcry_ghash_setup+update_armv8_ce_pmull/{n}": ("proofs.libgcrypt.ghash",
                                                        "GcryGhashSetupUpdate", {"blocks": n})
       for n in (1, 2, 3)},
    # every block count by cases (n <= 5 bounded, inductions over the 6-way loop beyond)
    "_gcry_ghash_armv8_ce_pmull/all": ("proofs.libgcrypt.ghash_all", "GcryGhashUpdateAllLengths",
                                       {"all_lengths": True}),
    **{f"_gcry_ghash_armv8_ce_pmull/{n}": ("proofs.libgcrypt.ghash", "GcryGhashUpdate",
                                           {"blocks": n}) for n in (1, 2, 6, 7)},
}


ALL = "/all"


def names() -> list:
    """The default list: a routine with an all-lengths proof shows that row only, and
    its other all-lengths rows (``/all-VARIANT``, e.g. another key size); its bounded
    instances stay available by name or with ``--blocks``."""
    full = {n[:-len(ALL)] for n in PROOFS if n.endswith(ALL)}
    return [n for n in PROOFS if n.endswith(ALL) or f"{ALL}-" in n
            or n.split("/")[0] not in full]


def make(name: str, **overrides):
    """A proof instance by name; ``name`` may omit the '/variant' to mean all variants."""
    module, cls, params = PROOFS[name]
    params = dict(params)
    params.update({k: v for k, v in overrides.items() if v is not None})
    return getattr(importlib.import_module(module), cls)(**params)


def select(requested: list) -> list:
    """Proof names matching the request (exact names or routine names), in order."""
    from lnsym.errors import UserError
    if not requested:
        return names()
    out = []
    for r in requested:
        hits = [n for n in PROOFS if n == r or n.split("/")[0] == r]
        if r + ALL in PROOFS:             # a routine name means its all-lengths statement
            hits = [r + ALL]
        if not hits:
            raise UserError(f"no proof named {r!r} (known: {', '.join(sorted({n.split('/')[0] for n in PROOFS}))})")
        out.extend(h for h in hits if h not in out)
    return out
