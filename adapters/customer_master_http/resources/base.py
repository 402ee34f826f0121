"""What every resource module shares: a Blueprint whose JSON bodies keep numbers exact,
the problem responses for malformed bodies, and small helpers for responses."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

import flask
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

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


MULTIPART = "multipart/form-data"


class MultipartParser(ExactJsonParser):
    """A ``multipart`` location reading the query string, the form fields and the file
    parts together, once the body's type and size are checked: a body over ``limit`` is
    refused with ``too_large`` before it is read (and one without a length is cut there)."""

    __location_map__: typing.ClassVar[dict[str, typing.Any]] = {
        **ExactJsonParser.__location_map__,
        "multipart": "load_multipart",
    }
    noun = "file"  # what the upload is called in the refusal of another media type

    def limit(self, req: flask.Request) -> int:
        """The largest body accepted, in bytes."""
        raise NotImplementedError

    def too_large(self, req: flask.Request) -> Exception:
        """The problem a body over the limit is answered with."""
        raise NotImplementedError

    def load_multipart(self, req: flask.Request, schema: typing.Any) -> MultiDictProxy:
        limit = self.limit(req)
        if req.content_length is not None and req.content_length > limit:
            raise self.too_large(req)
        req.max_content_length = limit
        if req.mimetype != MULTIPART:
            given = req.mimetype or "untyped"
            message = f"send the {self.noun} as multipart/form-data (a `file` part), not {given}"
            raise problem(415, "unsupported-media-type", message)
        return self._makeproxy(CombinedMultiDict([req.args, req.form, req.files]), schema)


class MultipartBlueprint(Blueprint):
    """A blueprint whose operations may take a ``multipart`` upload (its subclass names
    the ``MultipartParser``)."""

    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING: typing.ClassVar[dict[str, str]] = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": MULTIPART,
    }
