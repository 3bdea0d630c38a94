"""Proofs: reference specifications (``proofs.specs``) and one proof script per routine."""
