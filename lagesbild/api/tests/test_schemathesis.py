"""Schemathesis generates requests from the OpenAPI schema and finds no server errors.

It runs against the Django WSGI application in-process, on the test database with a small
published series, with a bounded number of examples per operation (derandomized, so a run
is repeatable).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def published(build):
    """Test data, and the WSGI app kept on the test transaction: like Django's test client,
    stop request signals from closing the database connection (PostgreSQL would lose the
    transaction that holds the data)."""
    from django.core import signals
    from django.db import close_old_connections

    build.indicator("S1", values={"2023": 10, "2024": "12.5"}, median={"2024": 11})
    build.indicator("S6.1", values={"2022/2023": 3})
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_errors_and_answers_as_documented(case, published):
    case.call_and_validate()
