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

__all__ = ["MIN_PASSCODE_LENGTH", "PROVIDER_PASSCODE_HASH", "hash_passcode", "verify_passcode"]

#: What a member who signs in through the company's provider has instead of a passcode
#: hash: not a ``scrypt$n$r$p$digest`` text, so no passcode ever matches it
#: (:func:`verify_passcode` refuses any other scheme).
PROVIDER_PASSCODE_HASH = "company-sign-in$no-passcode"

#: scrypt cost: n = 2**14, r = 8, p = 1 needs 16 MiB and ~50 ms per check on a laptop core;
#: enough to make guessing a council passcode offline slow, cheap enough for a login.
_N, _R, _P = 2**14, 8, 1
_DKLEN = 32
_SALT_BYTES = 16
_MAXMEM = 64 * 2**20
#: The shortest passcode a real council accepts.
MIN_PASSCODE_LENGTH = 12
#: The shortest passcode the demo council accepts (its passcodes, ``m01-demo``, are 8).
DEMO_MIN_PASSCODE_LENGTH = 8
#: The suffix of the demo council's passcodes, refused anywhere else.
DEMO_SUFFIX = "-demo"


def _digest(passcode: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passcode.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=_MAXMEM
    )


def check_passcode(passcode: str, member_id: str, *, demo: bool = False) -> None:
    """Refuse a passcode a real council must not use: shorter than
    :data:`MIN_PASSCODE_LENGTH`, the member's id, or a demo passcode (``<id>-demo``).
    In the demo council (``demo=True``) only the demo length applies.

    The passcode itself is never echoed back in the error: it is a secret.

    >>> check_passcode("a long enough phrase", "m01")
    >>> check_passcode("m01-demo", "m01", demo=True)
    """
    shortest = DEMO_MIN_PASSCODE_LENGTH if demo else MIN_PASSCODE_LENGTH
    problems = []
    if not isinstance(passcode, str) or len(passcode) < shortest:
        problems.append(
            Problem(
                "passcode too short",
                row=member_id,
                column="passcode",
                expected=f"at least {shortest} characters",
            )
        )
    elif not demo and (
        passcode.strip().casefold() == member_id.casefold()
        or passcode.casefold().endswith(DEMO_SUFFIX)
    ):
        problems.append(
            Problem(
                "passcode too easy to guess (the member id, or a demo passcode)",
                row=member_id,
                column="passcode",
                expected="a passcode of your own, not the id and not ending in -demo",
            )
        )
    if problems:
        raise ValidationError(problems)


def hash_passcode(passcode: str) -> tuple[str, str]:
    """Hash a new passcode with a fresh random salt.

    Returns
    -------
    salt, hashed : tuple of str
        The salt (hex) and the hash text ``scrypt$n$r$p$<hex>``; store both.

    Raises
    ------
    ValidationError
        A passcode shorter than :data:`DEMO_MIN_PASSCODE_LENGTH` characters (the
        council's own rules are :func:`check_passcode`).

    Examples
    --------
    >>> salt, hashed = hash_passcode("correct horse")
    >>> hashed.startswith("scrypt$16384$8$1$"), verify_passcode("correct horse", salt, hashed)
    (True, True)
    """
    if not isinstance(passcode, str) or len(passcode) < DEMO_MIN_PASSCODE_LENGTH:
        # The value itself is never echoed back: it is a secret, even when it is too short.
        raise ValidationError(
            Problem(
                "passcode too short",
                column="passcode",
                expected=f"at least {DEMO_MIN_PASSCODE_LENGTH} characters",
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
