"""Contracts for the common shapes of crypto routines, reusable for any library.

A routine's proof subclasses one of these and fills in the class attributes
(which object and symbol, which registers hold which argument, the byte order
of its state or schedule); the contract builds the preconditions, the
postcondition from the shipped specs and the frame.  See docs/writing-proofs.md.

* ``HashBlocks``         -- compression over n blocks (SHA-1, SHA-256, SHA-512, ...);
* ``BlockCipherBlocks``  -- a block cipher over n blocks under a stored schedule;
* ``CtrBlocks``          -- CTR mode over n blocks (128-bit or 32-bit counter);
* ``CtrEveryCount``      -- a ``CtrBlocks`` (128-bit counter) with a G-block loop, for
  every block count (``proofs/contracts/ctr_every.py``: the loop head, the head state);
* ``GhashUpdate``        -- a GHASH update, key/table layout and block grouping as
  parameters (``aggregated``: the grouped form for any group size);
* ``GhashEveryCount``    -- a ``GhashUpdate`` with a G-block loop, for every block
  count (``proofs/contracts/ghash_every.py``: the loop head, the cut after the loop);
* ``Contract``           -- the base: object, library, return value, listing note.

Arguments: ``narrow`` gives a 32-bit argument (``w3``) whose upper register bits
are unconstrained; ``in_place`` (``dst == src``) is a parameter of the cipher
contracts; ``preserved`` / ``preserved_v_low64`` set the preserved registers.
"""
from proofs.contracts.base import Contract, narrow, stored_word  # noqa: F401
from proofs.contracts.cipher import BlockCipherBlocks, CtrBlocks  # noqa: F401
from proofs.contracts.ghash import GhashUpdate, aggregated, bit_reflected_bytes  # noqa: F401
from proofs.contracts.hash import HashBlocks, Table  # noqa: F401
