"""What every resource module shares: a Blueprint whose JSON bodies keep numbers exact,
the problem responses for malformed bodies, and small helpers for responses."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

import flask
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser

from customer_master.errors import ValidationFailed
from customer_master_http.limits import MAX_DEPTH, body_problem, bounded_integer, too_deep
from customer_master_http.problems import problem


class ExactJsonParser(FlaskParser):
    """webargs' parser, reading JSON numbers as ``Decimal`` (money stays exact) and
    answering malformed JSON or a non-JSON body with problem details; a body past the
    limits of ``limits.py`` (depth, integer digits, text) is refused before any schema."""

    def _raw_load_json(self, req: flask.Request) -> typing.Any:
        data = req.get_data(cache=True)
        if not req.is_json:
            if data.strip():
                raise problem(
                    415,
                    "unsupported-media-type",
                    f"the body must be application/json, not {req.mimetype or 'untyped'}",
                )
            return {}
        if not data.strip():
            return {}
        if too_deep(data):
            raise problem(400, "malformed-request", f"the body nests more than {MAX_DEPTH} levels deep")
        try:
            body = json.loads(data.decode("utf-8"), parse_float=Decimal, parse_int=bounded_integer)
        except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError too
            raise problem(400, "malformed-request", f"the body is not valid JSON: {error}") from error
        errors = body_problem(body)
        if errors:
            raise ValidationFailed(errors)
        return body


class Blueprint(SmorestBlueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = ExactJsonParser()
