"""What the API reads before any handler sees a request: size, depth and text limits.

- A body is at most ``MAX_BODY`` bytes (Flask's ``MAX_CONTENT_LENGTH``; gunicorn limits
  the request line and headers, ``customer_master_cli.serve``): larger → 413.
- A JSON body nests at most ``MAX_DEPTH`` objects and lists deep, and its integers have
  at most ``MAX_INTEGER_DIGITS`` digits: deeper or longer → 400, before the parser
  recurses or converts.
- Every string in a body, every query parameter (name and value) and every path
  segment is text the core's one rule accepts (``bounds.text_problem``): no NUL or other
  control character, no lone surrogate → 422 naming the field.

>>> [(e.path, e.code) for e in body_problem({"name": "Ali", "tags": ["a\\x00"]})]
[('tags[0]', 'control_character')]
>>> too_deep(b'[' * 40 + b']' * 40), too_deep(b'[' * 80), too_deep(b'"[[[[" ' * 30)
(False, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from customer_master.domain.bounds import text_problem
from customer_master.domain.reading import join_path
from customer_master.errors import FieldError

MAX_BODY = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_INTEGER_DIGITS = 64
# gunicorn's limits on the request line and the headers (its defaults, set explicitly).
GUNICORN_LIMITS = {"limit_request_line": 8190, "limit_request_fields": 100, "limit_request_field_size": 8190}

_BRACKETS_AND_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Does the JSON text ``body`` open more than ``limit`` objects or lists at once?
    (Strings are skipped, so a bracket inside one does not count.)"""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for token in _BRACKETS_AND_STRINGS.finditer(body):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif mark in (b"]", b"}"):
            depth -= 1
    return False


def bounded_integer(written: str) -> int:
    """A JSON integer, refused (``ValueError``) past ``MAX_INTEGER_DIGITS`` digits so a
    5,000-digit number costs nothing and reaches no rule."""
    if len(written.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer has more than {MAX_INTEGER_DIGITS} digits")
    return int(written)


def body_problem(value: object, path: str = "") -> list[FieldError]:
    """Every string (key or value) in a parsed JSON body that is not acceptable text."""
    return list(_walk(value, path))


def _walk(value: object, path: str) -> Iterable[FieldError]:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            yield FieldError(path or "$", "control_character", problem)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            key_problem = text_problem(str(key))
            if key_problem is not None:
                yield FieldError(path or "$", "control_character", f"a field name {key_problem}")
                continue
            yield from _walk(item, join_path(path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, join_path(path, index))


def parameter_problems(parameters: Iterable[tuple[str, str]]) -> list[FieldError]:
    """Every query parameter or path segment whose name or value is not acceptable text."""
    errors = []
    for name, value in parameters:
        problem = text_problem(name) or text_problem(value)
        if problem is not None:
            shown_name = name if text_problem(name) is None else "$"
            errors.append(FieldError(shown_name, "control_character", problem))
    return errors
