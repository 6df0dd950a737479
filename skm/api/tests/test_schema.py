"""The OpenAPI 3 schema validates, and the documentation page loads no outside asset."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = set(schema["paths"])
    assert {
        "/api/v1/units/",
        "/api/v1/units/{code}/publications/",
        "/api/v1/units/{code}/rounds/",
        "/api/v1/units/{code}/rounds/{period}/results/",
        "/api/v1/units/{code}/rounds/{period}/responses/",
        "/api/v1/units/{code}/responses/",
        "/api/v1/units/{code}/rounds/{period}/open/",
        "/api/v1/units/{code}/rounds/{period}/close/",
        "/api/v1/units/{code}/rounds/{period}/rtl/",
        "/api/v1/units/{code}/exports/",
        "/api/v1/units/{code}/rounds/{period}/report-sections/{key}/",
    } <= paths
    assert "security" not in schema["paths"]["/api/v1/units/"]["get"]
    assert schema["paths"]["/api/v1/units/{code}/rounds/"]["get"]["security"]


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources)
    assert "default-src 'self'" in response["Content-Security-Policy"]
