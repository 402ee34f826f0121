"""A change made over the API is audited with the channel ``http`` (R-16.4)."""

from __future__ import annotations

from http_support import Api


def test_changes_over_the_api_are_audited_as_http(api: Api) -> None:
    customer = api.create_customer()
    trail = api.get(f"/customers/{customer['id']}/audit")
    assert trail.status_code == 200
    assert [(r["operation"], r["channel"]) for r in trail.json] == [("create", "http")]
