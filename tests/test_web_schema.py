"""schemathesis against the API's own OpenAPI document: generated requests to every read endpoint, checked
for server errors and for responses that do not match the document. Bounded, so it stays a unit test."""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from claimledger.web import create_app  # noqa: E402

from .test_web import build_ledger  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = str(tmp_path_factory.mktemp("schema") / "schema.db")
    build_ledger(path, filler=30)
    app = create_app(path)
    # Writes run the NLP pipeline: their checks are in test_web.py; here, every read endpoint.
    return schemathesis.openapi.from_asgi("/api/openapi.json", app).include(method="GET")


def test_api_matches_its_openapi_document(api_schema: Any) -> None:
    # Driven by hand rather than through schemathesis' pytest plugin, which does not support this pytest.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # Any string is a schema-valid cursor, but only the ones the server gave out are accepted (400); and
            # no schema can say since <= until, which the server checks (400).
            query = case.query or {}
            reversed_range = bool(query.get("since") and query.get("until") and query["since"] > query["until"])
            skip = [positive_data_acceptance] if query.get("cursor") is not None or reversed_range else []
            case.call_and_validate(excluded_checks=skip)

        check()
