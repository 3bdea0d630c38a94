"""Branches, exception generating and system instructions (Arm ARM C4.1.87)."""
