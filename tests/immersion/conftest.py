import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast is made for every test; a deliberately slow hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
