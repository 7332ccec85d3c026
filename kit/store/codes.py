"""Join codes, resume codes and facilitator keys.

Codes are made from 16 characters of a 32-character alphabet with no look-alikes (no 0, 1, I
or O), grouped in fours: ``K7QF-2MRX-9WZD-HT4P``. That is 80 bits from :mod:`secrets`. Only a
keyed SHA-256 hash of each code is stored; a code is found by hashing what was typed and
looking the hash up, so the database never holds a code in plaintext.

Examples
--------
>>> code = new_code()
>>> len(code), code.count("-")
(19, 3)
>>> normalise(code.lower().replace("-", " ")) == normalise(code)
True
>>> code_hash("join", code) == code_hash("join", code.lower())
True
>>> canonical(" k7qf 2mrx-9wzd  ht4p ")
'K7QF-2MRX-9WZD-HT4P'

The alphabet has no look-alike pairs (0/O, 1/I/L are not both in it), so there is nothing to
map: a typed 0, 1, I or O can never be part of a valid code and is refused as mistyped.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["ALPHABET", "CODE_LENGTH", "LEGACY_KEY", "new_code", "new_key", "normalise",
           "canonical", "code_hash", "looks_like_code"]

#: 32 symbols: digits 2-9 and capital letters without I and O.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
_GROUP = 4
#: The key of the first release, kept only so that codes issued before the per-installation key
#: existed keep working. New codes are hashed with the installation's own random key
#: (``Store.code_key``), created on first use and kept in the database.
LEGACY_KEY = b"partnering-kit/code/v1"


def new_code() -> str:
    """A fresh random code such as ``K7QF-2MRX-9WZD-HT4P`` (80 bits of entropy)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + _GROUP] for i in range(0, CODE_LENGTH, _GROUP))


def normalise(code: str) -> str:
    """Upper-case and drop spaces, hyphens and anything else that is not a letter or digit."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def canonical(code: str) -> str:
    """The one spelling of a code, however it was typed: upper case, no spaces, and, when it
    has a code's length, hyphens between groups of four (``K7QF-2MRX-9WZD-HT4P``).

    Every place that keeps a code (the sign-in cookie, "remember me", a page's memory of who
    is signed in) keeps this form, so a code typed in lower case or with spaces works on every
    page, not only on the one it was typed on.
    """
    n = normalise(code)
    if len(n) != CODE_LENGTH:
        return n
    return "-".join(n[i : i + _GROUP] for i in range(0, CODE_LENGTH, _GROUP))


def looks_like_code(code: str) -> bool:
    """True when ``code`` has the right length and only symbols from the alphabet."""
    n = normalise(code)
    return len(n) == CODE_LENGTH and all(ch in ALPHABET for ch in n)


def new_key() -> str:
    """A fresh per-installation hashing key (256 bits, hex)."""
    return secrets.token_hex(32)


def code_hash(kind: str, code: str, key: bytes | str = LEGACY_KEY) -> str:
    """Keyed SHA-256 (hex) of a normalised code; ``kind`` keeps join, resume and key apart."""
    if isinstance(key, str):
        key = key.encode()
    message = f"{kind}:{normalise(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
