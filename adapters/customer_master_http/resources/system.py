"""Who am I, is the service up, and what does a problem type mean."""

from __future__ import annotations

from flask.views import MethodView

from customer_master.domain.serialize import Data
from customer_master.errors import NotFound
from customer_master_http.auth import current_actor, customer_master, requires
from customer_master_http.problems import PROBLEM_TYPES
from customer_master_http.resources.base import Blueprint
from customer_master_http.schemas.common import ProblemTypeSchema
from customer_master_http.schemas.configuration import ActorSchema, HealthSchema

blp = Blueprint("system", __name__, url_prefix="", description="The caller, the service, the problem types.")

PUBLIC: dict[str, list[object]] = {"security": []}


@blp.route("/me")
class Me(MethodView):
    @requires(None)
    @blp.response(200, ActorSchema)
    def get(self) -> Data:
        """The caller: tenant, user, roles and the permissions they grant"""
        actor = current_actor()
        granted = customer_master().configuration.permissions(actor)
        return {
            "tenant": actor.tenant,
            "user": actor.user,
            "roles": sorted(actor.roles),
            "permissions": sorted(granted),
        }


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.doc(**PUBLIC)
    def get(self) -> Data:
        """Is the service up? (no authentication)"""
        return {"status": "ok"}


@blp.route("/problems/<kind>")
class ProblemType(MethodView):
    @blp.response(200, ProblemTypeSchema)
    @blp.doc(**PUBLIC)
    def get(self, kind: str) -> Data:
        """What a problem type means (the `type` of problem details)"""
        if kind not in PROBLEM_TYPES:
            raise NotFound("problem type", kind)
        title, description = PROBLEM_TYPES[kind]
        return {"type": f"/problems/{kind}", "title": title, "description": description}
