"""The installable app: manifest, service worker, the pages kept per user, sign-out."""

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from immersion.models import ImmersionSession, SessionEvent
from journal import app_icons
from tests import factories

pytestmark = pytest.mark.django_db
Status = ImmersionSession.Status
SCOPE_META = re.compile(rb'<meta name="user-scope" content="([^"]*)">')


def scope_on(response) -> str:
    return SCOPE_META.search(response.content).group(1).decode()


def test_the_manifest_names_the_site_and_opens_on_today(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == settings.SITE_NAME
    assert manifest["start_url"] == reverse("immersion:today") == "/today/"
    assert (manifest["display"], manifest["scope"]) == ("standalone", "/")
    assert manifest["theme_color"] == "#0b4f6c"


def test_the_manifest_icons_exist_at_the_sizes_they_claim(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]

    sizes = {}
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                sizes[icon["sizes"]] = image.size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_the_committed_icons_are_what_the_drawing_makes():
    assert finders.find("icons/app-icon.svg")
    with open(finders.find("icons/app-icon.svg")) as handle:
        assert handle.read() == app_icons.svg()
    for size in (192, 512):
        with Image.open(finders.find(f"icons/app-icon-{size}.png")) as committed:
            assert committed.convert("RGB").tobytes() == app_icons.png(size).tobytes()


def test_the_service_worker_is_served_from_the_root_with_the_headers_it_needs(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert response.content.startswith(b"self.OFFLINE_CONFIG = ")


def test_the_service_worker_keeps_only_files_that_exist(client):
    first_line = client.get("/sw.js").content.split(b"\n", 1)[0].decode()
    config = json.loads(first_line.removeprefix("self.OFFLINE_CONFIG = ").removesuffix(";"))

    for url in config["shell"] + config["scripts"]:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert client.get(url).status_code == 200, url
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])


def test_the_policy_lets_the_site_run_its_own_worker_and_manifest(client):
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    # Directives come in no fixed order: compare them by name.
    policy = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())

    assert policy["worker-src"] == "'self'"
    assert policy["manifest-src"] == "'self'"
    assert policy["script-src"] == "'self'"


def test_every_page_says_whose_it_is_and_a_signed_out_page_is_nobodys(
    client, client_as, manager, other_manager
):
    signed_out = scope_on(client.get("/accounts/login/"))
    mine = scope_on(client_as(manager).get(reverse("immersion:today")))
    theirs = scope_on(client_as(other_manager).get(reverse("immersion:today")))

    assert signed_out == ""
    assert mine
    assert theirs
    assert mine != theirs
    assert str(manager.pk) != mine


def test_the_pages_to_keep_are_the_users_own_sessions_from_today_on(
    client_as, manager, other_manager, store_a, store_b
):
    now = timezone.now()
    today = factories.SessionFactory(team=store_a, lead=manager)
    joined = factories.SessionFactory(team=store_a, planned_start=now + dt.timedelta(days=3))
    joined.companions.add(manager)
    factories.SessionFactory(team=store_a, lead=manager, planned_start=now + dt.timedelta(days=9))
    factories.SessionFactory(team=store_a, lead=manager, planned_start=now - dt.timedelta(days=2))
    factories.SessionFactory(team=store_b, lead=other_manager)

    response = client_as(manager).get(reverse("journal:offline-state"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    state = response.json()
    assert state["scope"] == scope_on(client_as(manager).get(reverse("immersion:today")))
    assert state["csrf"]
    session_pages = [page for page in state["pages"] if "sessions" in page]
    assert session_pages == [
        f"/sessions/{today.pk}/",
        f"/journal/sessions/{today.pk}/capture/",
        f"/sessions/{joined.pk}/",
        f"/journal/sessions/{joined.pk}/capture/",
    ]
    assert {"/", "/today/", "/journal/outbox/"} <= set(state["pages"])


def test_a_cx_lead_with_no_sessions_keeps_only_the_general_pages(client_as, cx_lead):
    state = client_as(cx_lead).get(reverse("journal:offline-state")).json()

    # Today is the managers' page: a CX lead would only keep its refusal.
    assert state["pages"] == ["/", "/journal/outbox/"]


def test_an_anonymous_visitor_gets_no_pages_to_keep(client):
    response = client.get(reverse("journal:offline-state"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_out_clears_the_http_cache_but_not_the_outbox(client_as, manager):
    response = client_as(manager).post(reverse("logout"))

    assert response.status_code == 302
    # "storage" would also wipe observations still waiting on the phone.
    assert response["Clear-Site-Data"] == '"cache"'


def test_the_outbox_page_answers_a_manager(client_as, manager):
    response = client_as(manager).get(reverse("journal:outbox"))

    assert response.status_code == 200
    assert b'id="outbox-list"' in response.content


class TestReplayedStart:
    def url(self, session):
        return reverse("immersion:session-start", kwargs={"pk": session.pk})

    def test_a_phone_gets_json_when_it_starts_a_session(self, client_as, manager, store_a):
        session = factories.SessionFactory(team=store_a, lead=manager)

        response = client_as(manager).post(
            self.url(session), headers={"accept": "application/json"}
        )

        assert response.status_code == 200
        assert response.json() == {
            "started": True,
            "replayed": False,
            "next": f"/sessions/{session.pk}/",
        }
        session.refresh_from_db()
        assert session.status == Status.IN_PROGRESS

    def test_a_replayed_start_by_the_same_person_is_a_success_that_changes_nothing(
        self, client_as, manager, store_a
    ):
        session = factories.SessionFactory(team=store_a, lead=manager)
        client = client_as(manager)
        client.post(self.url(session), headers={"accept": "application/json"})

        response = client.post(self.url(session), headers={"accept": "application/json"})

        assert response.status_code == 200
        assert response.json()["replayed"] is True
        starts = SessionEvent.objects.filter(session=session, to_status=Status.IN_PROGRESS)
        assert starts.count() == 1

    def test_a_start_after_someone_else_started_it_is_refused_with_the_reason(
        self, client_as, manager, store_a
    ):
        session = factories.SessionFactory(team=store_a, lead=manager)
        companion = factories.ManagerFactory(teams=[store_a])
        session.companions.add(companion)
        session.start(by=companion)

        response = client_as(manager).post(
            self.url(session), headers={"accept": "application/json"}
        )

        assert response.status_code == 409
        message = response.json()["errors"]["__all__"][0]["message"]
        assert "Only a planned session can be started" in message

    def test_a_cancelled_session_refuses_a_queued_start(self, client_as, manager, store_a):
        session = factories.SessionFactory(team=store_a, lead=manager)
        session.cancel(by=manager, reason="Ill.")

        response = client_as(manager).post(
            self.url(session), headers={"accept": "application/json"}
        )

        assert response.status_code == 409
        session.refresh_from_db()
        assert session.status == Status.CANCELLED

    def test_someone_outside_the_session_cannot_start_it(self, client_as, other_manager, store_a):
        session = factories.SessionFactory(team=store_a)

        response = client_as(other_manager).post(
            self.url(session), headers={"accept": "application/json"}
        )

        assert response.status_code in (403, 404)
        session.refresh_from_db()
        assert session.status == Status.PLANNED


def test_the_pages_to_keep_cost_the_same_queries_however_many_sessions(
    client_as, manager, store_a, django_assert_num_queries
):
    client = client_as(manager)
    factories.SessionFactory(team=store_a, lead=manager)
    # The user, their roles, and their own sessions to keep (the session is in the cache).
    with django_assert_num_queries(3):
        client.get(reverse("journal:offline-state"))
    for _ in range(4):
        factories.SessionFactory(team=store_a, lead=manager)
    with django_assert_num_queries(3):
        client.get(reverse("journal:offline-state"))


def test_the_outbox_script_asks_the_state_where_the_site_serves_it():
    with open(finders.find("js/outbox.js")) as handle:
        script = handle.read()

    assert f'var STATE_URL = "{reverse("journal:offline-state")}";' in script
