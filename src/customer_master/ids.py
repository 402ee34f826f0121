"""Ids: opaque, unique, and in the order they were made (docs/decisions/0038).

An id is a UUID version 7 (RFC 9562) written as 32 hex digits: 48 bits of Unix time in
milliseconds, then 74 bits that are random for the first id of a millisecond and count
up by one for each further id of the same millisecond (the RFC's "monotonic random"
method), with the version and variant bits set. Ids made one after the other therefore
sort in the order they were made, so a database appends new rows at the end of an index
keyed by id instead of scattering them over every page of it — what makes bulk imports
of millions of customers cheap to store.

The time inside an id only orders it; business dates come from the ``Clock`` port.

>>> first, second = new_id(), new_id()
>>> len(first), first < second, first[12], first[16] in "89ab"
(32, True, '7', True)
"""

from __future__ import annotations

import os
import threading
import time

_TAIL_BITS = 74
_TAIL_MASK = (1 << _TAIL_BITS) - 1
_RAND_B_BITS = 62

_lock = threading.Lock()
_last_ms = 0
_last_tail = 0


def new_id() -> str:
    """A new id, greater than every id this process made before it."""
    global _last_ms, _last_tail
    now_ms = time.time_ns() // 1_000_000
    with _lock:
        if now_ms > _last_ms:
            tail = int.from_bytes(os.urandom(10)) >> (80 - _TAIL_BITS)
        else:  # the same millisecond (or the clock stepped back): count on
            now_ms, tail = _last_ms, _last_tail + 1
            if tail > _TAIL_MASK:  # 2**74 ids in one millisecond: borrow the next one
                now_ms, tail = now_ms + 1, 0
        _last_ms, _last_tail = now_ms, tail
    value = (
        (now_ms & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (tail >> _RAND_B_BITS) << 64
        | 0b10 << 62
        | (tail & ((1 << _RAND_B_BITS) - 1))
    )
    return f"{value:032x}"
