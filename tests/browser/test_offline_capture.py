"""Capturing with no signal: kept on the phone, reopened from the service worker, and sent
exactly once when the signal returns."""

import io

import pytest
from PIL import Image

from immersion.models import ImmersionSession
from journal.models import Observation, Photo
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def camera_photo(colour: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG", quality=90)
    return {"name": f"IMG_{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


CORRUPT = {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}


@pytest.fixture
def session(manager, store_a):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    walk.start(by=manager)
    return walk


def capture_url(session) -> str:
    return f"/journal/sessions/{session.pk}/capture/"


def open_ready(page, url):
    """Open a page and wait until the service worker has kept this user's pages."""
    page.goto(url)
    page.wait_for_function(
        "() => document.documentElement.dataset.offlineReady === 'true'", timeout=30_000
    )
    page.evaluate("() => navigator.serviceWorker.ready")
    if page.evaluate("() => navigator.serviceWorker.controller === null"):
        # Opened while the worker was still activating: the next load is the worker's.
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


def sync_state(page):
    return page.locator("#sync-state-text")


def wait_for_state(page, text: str):
    sync_state(page).filter(has_text=text).wait_for()


def outbox_size(page) -> int:
    return page.evaluate(
        "() => ImmersionOutbox.list(document.querySelector('meta[name=user-scope]').content)"
        ".then(entries => entries.length)"
    )


def capture(page, what: str, photos=(), *, feeling="Confused"):
    page.wait_for_selector("#capture-form[data-ready]")
    page.get_by_label("Signage").check()
    page.get_by_label(feeling).check()
    page.get_by_label("What happened?").fill(what)
    for photo in photos:
        page.set_input_files("#photo-gallery", [photo])
    if photos:
        page.get_by_text(f"{len(photos)} of 10 photos added.").wait_for()
    page.get_by_role("button", name="Save observation").click()


def test_three_observations_captured_offline_reach_the_server_once_with_their_photos(
    page, manager, session
):
    login(page, manager)
    open_ready(page, capture_url(session))
    context = page.context
    context.set_offline(True)

    for n, colour in enumerate(("red", "green", "blue"), start=1):
        capture(page, f"Offline note {n}", [camera_photo(colour)])
        page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
        assert page.get_by_label("What happened?").input_value() == ""
    wait_for_state(page, "3 observations waiting to upload (3 photos)")
    screenshot(page, "offline-capture-kept-phone")
    assert_accessible(page)

    page.reload()
    assert page.get_by_role("heading", name="Log an observation").is_visible()
    wait_for_state(page, "3 observations waiting to upload (3 photos)")
    # A page that was never kept is not invented: the worker says it has no signal.
    page.goto("/journal/")
    assert page.get_by_role("heading", name="No signal").is_visible()

    page.close()
    page = context.new_page()
    page.goto(capture_url(session))
    wait_for_state(page, "3 observations waiting to upload")
    assert Observation.objects.count() == 0

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "All saved")

    stored = list(Observation.objects.order_by("created_at"))
    assert [o.what_happened for o in stored] == [f"Offline note {n}" for n in (1, 2, 3)]
    assert [o.photos.count() for o in stored] == [1, 1, 1]
    assert Photo.objects.count() == 3
    assert outbox_size(page) == 0
    assert_accessible(page)


def test_a_connection_cut_during_uploads_loses_nothing_and_stores_nothing_twice(
    page, manager, session
):
    login(page, manager)
    page.goto(capture_url(session))
    posts = []

    def cut(route):
        posts.append(route.request.url)
        if len(posts) == 1:
            route.abort()  # the upload never reached the server
        elif len(posts) == 2:
            route.fetch()  # stored, but the answer is lost on the way back
            route.abort()
        else:
            route.continue_()

    page.route("**/capture/", cut)
    capture(page, "Trolleys block the ramp", [camera_photo("red"), camera_photo("blue")])
    page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
    assert Observation.objects.count() == 0

    page.evaluate("() => ImmersionOffline.flush(true)")
    assert Observation.objects.count() == 1
    wait_for_state(page, "1 observation waiting to upload (2 photos)")

    page.evaluate("() => ImmersionOffline.flush(true)")
    wait_for_state(page, "All saved")

    assert len(posts) == 3
    observation = Observation.objects.get()
    assert observation.photos.count() == 2
    assert outbox_size(page) == 0


def test_a_draft_survives_a_reload_until_it_is_discarded(page, manager, session):
    login(page, manager)
    page.goto(capture_url(session))
    page.wait_for_selector("#capture-form[data-ready]")
    page.get_by_label("Website").check()
    page.get_by_label("Anxious").check()
    page.get_by_label("What happened?").fill("The basket total jumped at checkout")
    page.set_input_files("#photo-camera", [camera_photo("red")])
    page.get_by_text("1 of 10 photos added.").wait_for()
    page.get_by_text("Your draft is saved on this phone.").wait_for()

    page.reload()
    page.wait_for_selector("#capture-form[data-ready]")

    assert page.get_by_label("What happened?").input_value() == (
        "The basket total jumped at checkout"
    )
    assert page.get_by_label("Website").is_checked()
    assert page.get_by_label("Anxious").is_checked()
    assert page.get_by_role("img", name="Photo 1").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Discard draft").click()
    page.reload()
    page.wait_for_selector("#capture-form[data-ready]")
    assert page.get_by_label("What happened?").input_value() == ""
    assert not page.get_by_label("Website").is_checked()


def test_a_photo_the_server_refuses_stays_with_its_reason_until_discarded(page, manager, session):
    login(page, manager)
    open_ready(page, capture_url(session))
    page.context.set_offline(True)
    capture(page, "Price label unreadable", [CORRUPT])
    page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    refusal = "notes.jpg: this is not a JPEG, PNG, WebP or HEIC photo"
    wait_for_state(page, "Could not upload: " + refusal)
    screenshot(page, "offline-capture-refused-phone")
    assert_accessible(page)

    page.get_by_role("link", name="Retry").click()
    entry = page.locator(".outbox-entry")
    entry.filter(has_text=refusal).wait_for()
    page.reload()
    entry.filter(has_text=refusal).wait_for()
    screenshot(page, "offline-outbox-refused-phone")
    assert_accessible(page)
    assert Observation.objects.count() == 0

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard: Signage · Confused: Price label unreadable").click()
    page.get_by_text("Nothing is waiting").wait_for()
    wait_for_state(page, "All saved")
    assert outbox_size(page) == 0


def test_a_refused_photo_can_be_fixed_and_sent(page, manager, session):
    login(page, manager)
    open_ready(page, capture_url(session))
    page.context.set_offline(True)
    capture(page, "Shelf edge label missing", [CORRUPT])
    page.locator("#kept-banner").wait_for()
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "Could not upload")

    page.goto("/journal/outbox/")
    page.get_by_role("link", name="Fix it: Signage · Confused: Shelf edge label missing").click()
    page.wait_for_selector("#capture-form[data-ready]")
    assert page.get_by_label("What happened?").input_value() == "Shelf edge label missing"
    assert "not a JPEG" in page.locator("#form-errors").inner_text()
    page.get_by_role("button", name="Remove photo 1").click()
    page.get_by_role("button", name="Save observation").click()
    page.wait_for_url("**/capture/?saved=1&observation=*")

    assert Observation.objects.get().what_happened == "Shelf edge label missing"
    wait_for_state(page, "All saved")


def test_a_session_started_offline_is_started_before_its_observations_are_sent(
    page, manager, store_a
):
    planned = factories.SessionFactory(team=store_a, lead=manager)
    login(page, manager)
    open_ready(page, capture_url(planned))
    assert page.get_by_text("This session has not started yet.").is_visible()
    assert not page.locator("#capture-form").is_visible()
    page.context.set_offline(True)

    page.get_by_role("button", name="Start the session").click()
    page.get_by_text("Started on this phone.").wait_for()
    capture(page, "Queue at the only open till", feeling="Frustrated")
    page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
    wait_for_state(page, "2 observations waiting to upload")
    planned.refresh_from_db()
    assert planned.status == ImmersionSession.Status.PLANNED

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "All saved")

    planned.refresh_from_db()
    assert planned.status == ImmersionSession.Status.IN_PROGRESS
    observation = Observation.objects.get()
    assert (observation.session, observation.kind) == (planned, Observation.Kind.PAIN_POINT)


def test_signing_out_with_unsent_entries_asks_first_then_forgets_them(
    page, manager, other_manager, session
):
    login(page, manager)
    open_ready(page, capture_url(session))
    page.context.set_offline(True)
    capture(page, "Fire door propped open")
    page.locator("#kept-banner").wait_for()
    # Signal for the sign-out, none for the outbox: the entry stays unsent.
    page.context.route("**/offline/state/", lambda route: route.abort())
    page.context.set_offline(False)

    questions = []

    def refuse(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    scope = page.locator('meta[name="user-scope"]').get_attribute("content")
    page.once("dialog", refuse)
    page.get_by_role("button", name="Account menu for").click()
    page.get_by_role("button", name="Sign out").click()
    assert "1 observation is still on this phone" in questions[0]
    assert page.url.endswith(capture_url(session))
    assert outbox_size(page) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    if not page.get_by_role("button", name="Sign out").is_visible():
        page.get_by_role("button", name="Account menu for").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_function(
        """async (scope) => (await ImmersionOutbox.list(scope)).length === 0
              && (await caches.keys()).every(name => !name.startsWith('pages-'))""",
        arg=scope,
    )

    page.context.unroute("**/offline/state/")
    login(page, other_manager)
    assert outbox_size(page) == 0
    page.context.set_offline(True)
    page.goto(capture_url(session))
    # The first manager's kept page is never shown to the second.
    assert page.get_by_role("heading", name="No signal").is_visible()
    assert Observation.objects.count() == 0


def test_the_capture_page_and_its_outbox_survive_a_browser_restart_offline(
    browser, live_server, tmp_path, manager, session
):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

    # Playwright's offline switch does not reach a service worker woken by a relaunch
    # (Background Sync fires as the profile opens), so a browser without signal is one
    # whose every request goes to a proxy that is not there, loopback included.
    no_signal = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]

    def launch(*, signal: bool):
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS + ([] if signal else no_signal),
            headless=True,
            base_url=live_server.url,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        return context, context.pages[0] if context.pages else context.new_page()

    context, page = launch(signal=True)
    login(page, manager)
    open_ready(page, capture_url(session))
    context.close()

    context, page = launch(signal=False)
    page.goto(capture_url(session))
    capture(page, "Written with no signal, across browser restarts")
    page.locator("#kept-banner").wait_for()
    context.close()

    context, page = launch(signal=False)
    page.goto(capture_url(session))
    assert page.get_by_role("heading", name="Log an observation").is_visible()
    wait_for_state(page, "1 observation waiting to upload")
    context.close()
    assert Observation.objects.count() == 0

    context, page = launch(signal=True)
    try:
        page.goto(capture_url(session))
        wait_for_state(page, "All saved")
    finally:
        context.close()
    assert Observation.objects.get().what_happened == (
        "Written with no signal, across browser restarts"
    )


def test_a_session_started_offline_from_the_home_page_opens_its_kept_capture_page(
    page, manager, store_a
):
    planned = factories.SessionFactory(team=store_a, lead=manager)
    login(page, manager)
    open_ready(page, "/")
    page.context.set_offline(True)

    page.get_by_role("button", name=f"Start {planned.session_type}").click()
    page.wait_for_url(f"**{capture_url(planned)}")
    page.get_by_text("Started on this phone.").wait_for()
    capture(page, "Nobody at the welcome desk")
    page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
    planned.refresh_from_db()
    assert planned.status == ImmersionSession.Status.PLANNED

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "All saved")

    planned.refresh_from_db()
    assert planned.status == ImmersionSession.Status.IN_PROGRESS
    assert Observation.objects.get().session == planned


def test_the_sync_state_counts_each_upload_as_it_goes(page, manager, session):
    login(page, manager)
    open_ready(page, capture_url(session))
    page.context.set_offline(True)
    for n in (1, 2, 3):
        capture(page, f"Queued note {n}", [camera_photo("red")])
        page.locator("#kept-banner").filter(has_text="Kept on this phone").wait_for()
    wait_for_state(page, "3 observations waiting to upload (3 photos)")
    page.evaluate(
        """() => {
          window.seenStates = [];
          const text = document.getElementById('sync-state-text');
          new MutationObserver(() => window.seenStates.push(text.textContent))
            .observe(text, {childList: true, characterData: true, subtree: true});
        }"""
    )

    def slow_upload(route):
        # Long enough for the page to show each upload before the next starts.
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/capture/", slow_upload)
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_for_state(page, "All saved")

    seen = page.evaluate("() => window.seenStates")
    uploads = [state for state in seen if state.startswith("Uploading")]
    assert uploads == ["Uploading 1 of 3", "Uploading 2 of 3", "Uploading 3 of 3"]
    assert seen[-1] == "All saved"
    assert Observation.objects.count() == 3
