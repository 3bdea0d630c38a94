"""Hints and other system-space instructions (Arm ARM C4.1.87: hints, barriers)."""
