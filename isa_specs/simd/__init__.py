"""Advanced SIMD and the cryptographic extensions (Arm ARM C4.1.90, C4.1.91)."""
