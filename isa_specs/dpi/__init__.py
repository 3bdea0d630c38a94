"""Data processing -- immediate (Arm ARM C4.1.86)."""
