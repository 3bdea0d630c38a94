"""Data processing -- register (Arm ARM C4.1.88)."""
