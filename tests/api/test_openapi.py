"""A property-based run over the served OpenAPI document: generated requests (valid and invalid) against
every operation must never produce a server error, and every response must match its documented status
codes, media type and schema."""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
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


def test_generated_requests_conform(env: ApiEnv) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", env.app)
    headers = env.headers("admin")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 30
    ran = {"cases": 0}

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            ran["cases"] += 1
            case.call_and_validate(headers=headers, checks=checks)

        run()
    print(f"schemathesis: {ran['cases']} generated cases over {len(operations)} operations")
    assert ran["cases"] >= 200
