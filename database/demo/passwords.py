"""Deterministic password hashes in werkzeug's own scrypt format.

`werkzeug.security.generate_password_hash` draws a random salt, so two seeds would differ, and
scrypt costs about 0.1 s a call. The demo derives the salt from the seed instead and hashes each
distinct (password, salt) once; `check_password_hash` accepts the result like any other hash.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache

# werkzeug's defaults for "scrypt" (werkzeug/security.py, 3.1): n=2**15, r=8, p=1, 16-char salt.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_LENGTH = 16
SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def demo_salt(seed: int, label: str) -> str:
    """Return a salt derived from the seed and a label, in werkzeug's salt alphabet."""
    # A string seed goes through SHA-512 in `random`, so it is stable across runs and platforms.
    rng = random.Random(f"demo-password-salt:{seed}:{label}")
    return "".join(rng.choice(SALT_CHARS) for _ in range(SALT_LENGTH))


@lru_cache(maxsize=32)
def scrypt_hash(password: str, salt: str) -> str:
    """Return `scrypt:32768:8:1$<salt>$<hex>`, the string `generate_password_hash` would store."""
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, maxmem=132 * SCRYPT_N * SCRYPT_R * SCRYPT_P)
    return f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}${salt}${digest.hex()}"


def demo_hash(password: str, *, seed: int, label: str) -> str:
    """Hash a demo password with a salt derived from the seed and a label."""
    return scrypt_hash(password, demo_salt(seed, label))
