"""Error pages keep the site's layout and say what to do next, in plain words."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("the disk is full")


def refused(request):
    raise PermissionDenied("Only a CX lead can change a programme.")


urlpatterns = [
    path("broken/", broken),
    path("refused/", refused),
    path("", include("immersion.urls")),
]
handler500 = "immersion.views.site.server_error"


@pytest.fixture
def with_error_views(settings):
    settings.ROOT_URLCONF = __name__


def test_a_missing_page_says_so_in_the_sites_layout(client_as, manager):
    response = client_as(manager).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="h3 mb-3">Page not found</h1>' in html
    assert 'class="bottom-nav' in html


def test_a_refusal_gives_its_reason(client_as, manager, with_error_views):
    response = client_as(manager).get("/refused/")

    assert response.status_code == 403
    assert "Only a CX lead can change a programme." in response.content.decode()


def test_a_crash_shows_a_calm_page_and_nothing_of_the_error(manager, with_error_views):
    client = Client(raise_request_exception=False)
    client.force_login(manager)

    response = client.get("/broken/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Immersion tracker" in html
    assert "disk is full" not in html


def test_a_stale_form_explains_that_nothing_was_saved(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    response = client.post("/accounts/password_change/", {"old_password": "x"})

    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
