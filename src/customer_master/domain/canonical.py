"""The canonical JSON text the audit chain hashes (SPEC R-11.2): keys sorted, no blanks,
only ASCII, values JSON lacks as their ``str``: exactly what
``json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)`` writes.

It is written by orjson, an order of magnitude faster than the standard encoder (a bulk
import seals a record a row, docs/decisions/0018), and brought to the standard text
where the two differ: non-ASCII characters and DEL are escaped as ``\\uXXXX`` (astral
ones as surrogate pairs), and a text orjson writes differently or cannot write at all —
a float with a one-digit negative exponent (``1e-7`` for ``1e-07``), an integer beyond
64 bits, a key that is not a string — is written by the standard encoder instead. The
values hashed are plain data (``serialize.to_data``), in which a float is a finite
setting at most; a NaN or infinite float, which orjson writes as ``null``, or an enum
member, which it writes as its value, is not.

>>> canonical_json({"b": [1, "é"], "a": None})
'{"a":null,"b":[1,"\\\\u00e9"]}'
"""

from __future__ import annotations

import json
import re

import orjson

_STANDARD = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# Where orjson writes a float below 1e-4 its own way (``0.00001`` for ``1e-05``).
_SMALL_FLOAT = re.compile(rb"[0-9]e-|0\.0000")
_NOT_ASCII = re.compile("[^\x00-\x7e]")


def canonical_json(value: object) -> str:
    """``value`` as canonical JSON text (module docstring)."""
    try:
        encoded = orjson.dumps(value, default=str, option=_OPTIONS)
    except TypeError:
        return _STANDARD.encode(value)
    maybe_small = b"e-" in encoded or b".0000" in encoded  # a plain search first: cheaper
    if maybe_small and _SMALL_FLOAT.search(encoded) is not None:
        return _STANDARD.encode(value)
    if encoded.isascii() and b"\x7f" not in encoded:
        return encoded.decode()
    return _NOT_ASCII.sub(_escaped, encoded.decode())


def _escaped(found: re.Match[str]) -> str:
    point = ord(found.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 | point >> 10:04x}\\u{0xDC00 | point & 0x3FF:04x}"
