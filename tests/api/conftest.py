import pytest
from django.test import Client

from immersion.models import ApiToken


@pytest.fixture
def api_as():
    """A client that calls the API with a fresh personal access token of `user`."""

    def make(user):
        _, text = ApiToken.issue(user, "tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {text}")

    return make
