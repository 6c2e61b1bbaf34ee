"""A property-based run over the served OpenAPI document: generated requests (valid and invalid) against
every operation must never produce a server error, and every response must match its documented status
codes, media type and schema."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import ApiEnv

EXAMPLES_PER_OPERATION = 8


def test_openapi_document_is_served(env: ApiEnv) -> None:
    r = env.client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = json.loads(r.data)
    assert spec["info"]["title"] == "Huoban API"
    assert "/api/v1/projects/{project_id}/matches" in spec["paths"]
    ops = [op for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert all("default" in op["responses"] for op in ops)
    docs = env.client().get("/api/v1/docs")
    assert docs.status_code == 200 and b"cdn." not in docs.data
    asset = env.client().get("/api/v1/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    asset.close()


@pytest.mark.parametrize(("mode", "who"), [("positive", "admin"), ("negative", "admin"), ("positive", "operator1"),
                                         ("negative", "founder1")])
def test_generated_requests_conform(env: ApiEnv, mode: str, who: str) -> None:
    """Valid requests (``positive``: they fit the schema) and invalid ones (``negative``: a field of the wrong
    type, a missing required one, a value out of range...) as an admin, an operator and a founder: never a
    server error, and every answer as documented."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", env.app)
    headers = env.headers(who)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 30
    ran = {"cases": 0, "without_negatives": 0}
    generation = GenerationMode(mode)

    for operation in operations:
        @given(case=operation.as_strategy(generation))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            ran["cases"] += 1
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Unsatisfiable:  # an operation without parameters or body has no invalid request to make
            assert mode == "negative" and not operation.definition.raw.get("parameters") \
                and "requestBody" not in operation.definition.raw, operation.label
            ran["without_negatives"] += 1
    print(f"schemathesis ({mode}, {who}): {ran['cases']} generated cases over {len(operations)} operations "
          f"({ran['without_negatives']} without invalid requests)")
    assert ran["cases"] >= 200
