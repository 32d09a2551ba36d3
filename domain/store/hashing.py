"""The hash chain: each event's hash covers the previous hash and the event as stored.

hash_n = sha256(hash_{n-1} || canonical bytes of event n); the chain starts from
sha256(b"tallybook:" + book_id). The canonical bytes are the stored text of each field joined
by NUL: JSON text never contains a raw NUL (json escapes control characters) and the store
refuses NUL in stream ids and types, so the encoding is unambiguous. Hashing the stored text
(not re-serialised JSON) lets verification run without parsing any JSON.
"""

from __future__ import annotations

from hashlib import sha256

HASH_SIZE = 32


def genesis_hash(book_id: str) -> bytes:
    """The hash an empty book's chain starts from."""
    return sha256(b"tallybook:" + book_id.encode()).digest()


def event_hash(
    previous: bytes,
    position: int,
    stream_id: str,
    stream_version: int,
    type_: str,
    schema_version: int,
    data: str,
    metadata: str,
    recorded_at: int,
    also_in: str | None,
) -> bytes:
    """The chained hash of one stored event (text fields exactly as stored)."""
    canonical = "\x00".join(
        (
            str(position),
            stream_id,
            str(stream_version),
            type_,
            str(schema_version),
            data,
            metadata,
            str(recorded_at),
            also_in or "",
        )
    )
    return sha256(previous + canonical.encode()).digest()
