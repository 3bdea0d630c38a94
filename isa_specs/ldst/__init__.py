"""Loads and stores (Arm ARM C4.1.89), general-purpose and SIMD&FP registers."""
