"""Property-based calls to every endpoint of the live test server, generated from the schema.

No call may give a 500 or answer anything its schema does not describe. The caller is a CX
lead with a token, in a region holding a running session, an observation and an action.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from immersion.models import ApiToken
from tests import factories
from tests.journal.conftest import start

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(cx_lead, owner, store_a, manager):
    session = start(factories.SessionFactory(team=store_a, lead=manager))
    observation = factories.ObservationFactory(session=session)
    factories.ActionFactory(team=store_a, owner=owner, observations=[observation])
    return ApiToken.issue(cx_lead, "fuzz")[1]


FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


# Schemathesis' pytest plugin does not load under this pytest, so each operation's strategy
# is driven by Hypothesis directly: the same generation and the same checks.
def test_no_endpoint_fails_or_breaks_its_schema(token, live_server):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10

    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        call()
