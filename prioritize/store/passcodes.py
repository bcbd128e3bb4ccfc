"""Council passcodes: salted scrypt hashes, checked in constant time.

A passcode is never stored, returned or logged in clear. What the store keeps is a random
salt and a self-describing hash text ``scrypt$<n>$<r>$<p>$<hex digest>``, so that the cost
parameters can be raised later without invalidating the passcodes already set (each hash
is checked with the parameters it was made with).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from prioritize.errors import Problem, ValidationError

__all__ = ["MIN_PASSCODE_LENGTH", "hash_passcode", "verify_passcode"]

#: scrypt cost: n = 2**14, r = 8, p = 1 needs 16 MiB and ~50 ms per check on a laptop core;
#: enough to make guessing a council passcode offline slow, cheap enough for a login.
_N, _R, _P = 2**14, 8, 1
_DKLEN = 32
_SALT_BYTES = 16
_MAXMEM = 64 * 2**20
#: The shortest passcode accepted (the demo passcodes, ``m01-demo``, are 8 characters).
MIN_PASSCODE_LENGTH = 8


def _digest(passcode: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passcode.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=_MAXMEM
    )


def hash_passcode(passcode: str) -> tuple[str, str]:
    """Hash a new passcode with a fresh random salt.

    Returns
    -------
    salt, hashed : tuple of str
        The salt (hex) and the hash text ``scrypt$n$r$p$<hex>``; store both.

    Raises
    ------
    ValidationError
        A passcode shorter than :data:`MIN_PASSCODE_LENGTH` characters.

    Examples
    --------
    >>> salt, hashed = hash_passcode("correct horse")
    >>> hashed.startswith("scrypt$16384$8$1$"), verify_passcode("correct horse", salt, hashed)
    (True, True)
    """
    if not isinstance(passcode, str) or len(passcode) < MIN_PASSCODE_LENGTH:
        # The value itself is never echoed back: it is a secret, even when it is too short.
        raise ValidationError(
            Problem(
                "passcode too short",
                column="passcode",
                expected=f"at least {MIN_PASSCODE_LENGTH} characters",
            )
        )
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _digest(passcode, salt, _N, _R, _P)
    return salt.hex(), f"scrypt${_N}${_R}${_P}${digest.hex()}"


def verify_passcode(passcode: str, salt: str, hashed: str) -> bool:
    """Whether ``passcode`` matches the stored salt and hash (constant-time comparison)."""
    try:
        scheme, n, r, p, expected = hashed.split("$")
        if scheme != "scrypt":
            return False
        digest = _digest(passcode, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(digest, bytes.fromhex(expected))
    except (ValueError, TypeError):
        return False
