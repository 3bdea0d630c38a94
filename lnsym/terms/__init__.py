"""The term language: hash-consed bit-vector terms (``bv``), their evaluation,
compilation to Python (``codegen``), lowering to z3 (``smt``) and printing."""
