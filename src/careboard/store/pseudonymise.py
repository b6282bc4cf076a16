"""Pseudonymise child identifiers with a keyed hash (HMAC-SHA256), computed set-based in DuckDB.

The same child gets the same pseudonym in every table and every year loaded with the same key, so
histories still join up; without the key the original identifier cannot be recovered or tested.
HMAC is built from DuckDB's sha256 over BLOBs (RFC 2104), so no Python loop touches a child.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

KEY_ENV = "CAREBOARD_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16
PSEUDONYM_HEX = 16  # 64 bits: collisions are checked for at load
_BLOCK = 64


class PseudonymKeyError(ValueError):
    """No usable pseudonymisation key."""


def read_key(key_file: Path | None) -> bytes:
    """The key from ``key_file`` or ``$CAREBOARD_PSEUDONYM_KEY``; at least 16 bytes."""
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise PseudonymKeyError(f"cannot read the pseudonymisation key file {key_file}: {exc.strerror}") from None
    else:
        key = os.environ.get(KEY_ENV, "").encode()
    if not key:
        raise PseudonymKeyError(f"--pseudonymise needs a key: give --key-file or set {KEY_ENV}")
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(f"the pseudonymisation key must be at least {MIN_KEY_BYTES} bytes long")
    return key


def key_pads(key: bytes) -> tuple[bytes, bytes]:
    """The HMAC inner and outer padded keys."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\x00")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def key_fingerprint(key: bytes) -> str:
    """A public tag for a key (never the key): lets a reload with a new key be told apart."""
    return hashlib.sha256(b"careboard-key-tag:" + key).hexdigest()[:16]


def hmac_sql(column: str) -> str:
    """SQL for the pseudonym of ``column``, with parameters $ipad and $opad bound to key_pads()."""
    inner = f"unhex(sha256($ipad::BLOB || encode({column})))"
    return f"upper(left(sha256($opad::BLOB || {inner}), {PSEUDONYM_HEX}))"
