"""Shared pseudocode, one module per Arm ARM chapter of helpers, with Arm's names."""
