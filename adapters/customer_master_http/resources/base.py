"""What every resource module shares: a Blueprint whose JSON bodies keep numbers exact,
the problem responses for malformed bodies, and small helpers for responses."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

import flask
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser

from customer_master_http.problems import problem


class ExactJsonParser(FlaskParser):
    """webargs' parser, reading JSON numbers as ``Decimal`` (money stays exact) and
    answering malformed JSON or a non-JSON body with problem details."""

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
        try:
            return json.loads(data.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise problem(400, "malformed-request", f"the body is not valid JSON: {error}") from error


class Blueprint(SmorestBlueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = ExactJsonParser()
