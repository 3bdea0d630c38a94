"""Reference specifications written from the standards, over lnsym's bit-vector terms.

Each module follows one standard and uses its names, citing section numbers:

* ``sha1``, ``sha256``, ``sha512`` -- FIPS 180-4 (Secure Hash Standard);
* ``aes``      -- FIPS 197 (Advanced Encryption Standard), the forward cipher;
* ``ghash``    -- NIST SP 800-38D (GCM), the multiplication in GF(2^128) and GHASH;
* ``gcm``      -- NIST SP 800-38D, inc32, GCTR, GHASH over AAD/ciphertext, GCM-AE/AD;
* ``keccak``   -- FIPS 202, Keccak-f[1600] and the SHA-3 / SHAKE sponge;
* ``chacha20`` -- RFC 8439, the ChaCha20 quarter round, block function and encryption;
* ``bytes``    -- big/little-endian words from byte terms and back.

Every function works on symbolic terms (``lnsym.bv.var`` inputs) and on
constants (then each result is a constant term, readable with ``int()``).
The specs never import ``isa_specs``: they are independent of the
instruction semantics they are compared with.
"""
