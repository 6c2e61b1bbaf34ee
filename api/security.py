"""Secrets: API keys and passwords, stored only as hashes.

An API key reads ``hb_<prefix>_<secret>``: the prefix (public, unique) finds the row, the whole key is
checked against the stored hash. The secret part is 256 random bits, so a fast hash (SHA-256, stored as
``sha256$<hex>``) is as safe against a stolen table as a slow one - nobody can search 2**256 keys - and it
costs microseconds: a client sending junk tokens cannot occupy a core (with scrypt each one cost ~42 ms and
16 MiB). Keys created before that carry a scrypt hash; it is checked once and replaced by the SHA-256 one.
Passwords, which people choose, stay on scrypt. :class:`KeyCache` remembers, per process and for a short
time, the keys that verified (keyed by a keyed BLAKE2 digest, never the key itself); revoking a key clears it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

# scrypt parameters for passwords: N=2**14, r=8, p=5 - one of OWASP's equivalent minimums (N=2**17, r=8, p=1
# costs the same CPU but 128 MiB a login; this is 16 MiB); ~0.2 s a login here. Hashes made with older
# parameters still verify and are re-hashed at the next sign-in (:func:`needs_rehash`).
_N, _R, _P = 2**14, 8, 5
_DKLEN = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def needs_rehash(stored: str) -> bool:
    """True for a password hash made with weaker parameters than today's."""
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or int(n) * int(r) * int(p) < _N * _R * _P
    except ValueError:
        return True


def hash_secret(secret: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected),
            maxmem=64 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class NewKey:
    key: str  # shown once
    prefix: str
    hash: str


def hash_api_key(key: str) -> str:
    return "sha256$" + hashlib.sha256(key.encode()).hexdigest()


def verify_api_key(key: str, stored: str) -> bool:
    """The key against its stored hash: SHA-256 (constant time), or a legacy scrypt hash."""
    if stored.startswith("sha256$"):
        return hmac.compare_digest(hash_api_key(key), stored)
    return verify_secret(key, stored)


def generate_api_key() -> NewKey:
    prefix = secrets.token_hex(6)
    key = f"hb_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(key=key, prefix=prefix, hash=hash_api_key(key))


def key_prefix(key: str) -> str | None:
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "hb" or not parts[1] or len(parts[1]) > 24:
        return None
    return parts[1]


class KeyCache:
    """Per-process memory of verified keys: digest -> (api key id, expiry)."""

    def __init__(self, ttl_seconds: float = 300.0, max_entries: int = 10_000) -> None:
        self._secret = secrets.token_bytes(32)
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: dict[bytes, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _digest(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode(), key=self._secret, digest_size=32).digest()

    def get(self, key: str) -> int | None:
        digest = self._digest(key)
        with self._lock:
            hit = self._entries.get(digest)
            if hit is None:
                return None
            key_id, expires = hit
            if expires < time.monotonic():
                del self._entries[digest]
                return None
            return key_id

    def put(self, key: str, key_id: int) -> None:
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[self._digest(key)] = (key_id, time.monotonic() + self._ttl)

    def forget_id(self, key_id: int) -> None:
        with self._lock:
            for digest in [d for d, (kid, _) in self._entries.items() if kid == key_id]:
                del self._entries[digest]
