"""The capture page's weight on a phone: first visit, and a second one with the service
worker in place.

A manager with a session under way opens the capture page in Chromium (360 x 740) against
a live server on a throw-away database, and waits until the service worker has kept the
user's pages. Every answer that came over the network, the worker's own included, is
counted as production serves it: text gzipped at level 9 as WhiteNoise stores it (when
that saves 5 % or more), images and everything else as they are. The second visit, in a
new tab of the same browser, counts the same way: what the worker served from its cache
is not counted.

Run: make bench BENCH_ARGS="--only capture_page"
"""

import gzip
import os
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.bench._databases import throwaway_database

TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
CHROMIUM = "/usr/bin/chromium"


def add_arguments(parser) -> None:
    parser.add_argument_group("capture_page")


def as_served(content_type: str, body: bytes) -> int:
    """Bytes on the wire: WhiteNoise keeps a gzip copy only when it saves 5 % or more."""
    if not content_type.startswith(TEXT_TYPES):
        return len(body)
    packed = len(gzip.compress(body, compresslevel=9))
    return packed if packed < len(body) * 0.95 else len(body)


def session_cookie(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "domain": "localhost", "path": "/"}


def a_manager_with_a_session():
    from tests import factories

    team = factories.TeamFactory(name="Bench store", kind="store")
    manager = factories.ManagerFactory(teams=[team])
    session = factories.SessionFactory(team=team, lead=manager)
    session.start(by=manager)
    return manager, session


def visit(context, url: str, cookie: dict) -> list[tuple[str, int, str]]:
    """(url, bytes as served, who fetched it) for every network answer of one visit in a new
    tab: "page" for the page's own requests, "worker" for the service worker's (its install,
    the pages it keeps, a network-first page). Answers the worker served from its cache did
    not touch the network and are left out."""
    answers = []

    def record(response):
        if response.from_service_worker or not 200 <= response.status < 300:
            return
        body = response.body()
        if not body:
            # Chromium does not hand over the bodies the worker fetched: fetch them again.
            body = refetch(response.url, cookie)
        who = "worker" if response.request.service_worker else "page"
        content_type = response.headers.get("content-type", "")
        answers.append((response.url, as_served(content_type, body), who))

    context.on("response", record)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(
        "() => document.documentElement.dataset.offlineReady === 'true' || localStorage.length > 0",
        timeout=60_000,
    )
    page.wait_for_timeout(2000)
    context.remove_listener("response", record)
    return answers


def refetch(url: str, cookie: dict) -> bytes:
    """The local live server's answer, again; only http://localhost URLs come here."""
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return answer.read()


def report(title: str, answers) -> None:
    total = sum(size for _, size, _ in answers)
    print(f"{title}: {total / 1024:.1f} KiB in {len(answers)} answers over the network")
    for url, size, who in sorted(answers, key=lambda item: -item[1]):
        path = url.split("//", 1)[-1].split("/", 1)[-1]
        print(f"  {size / 1024:7.1f} KiB  {who:6}  /{path}")


def run(args) -> None:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test import override_settings
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed: no figures.")
        return
    with throwaway_database("bench_capture"):
        server = LiveServerThread("localhost", StaticFilesHandler, port=0)
        server.daemon = True
        try:
            manager, session = a_manager_with_a_session()
            cookie = session_cookie(manager)
            # Photos are private and MEDIA_URL unset; the server thread still wants a prefix.
            with override_settings(MEDIA_URL="/media-is-not-served-here/"):
                server.start()
                server.is_ready.wait()
            if server.error:
                raise server.error
            url = f"http://localhost:{server.port}/journal/sessions/{session.pk}/capture/"
            # Chromium reports the service worker's own requests only when asked to.
            os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                context = browser.new_context(
                    viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
                )
                context.add_cookies([cookie])
                report("first visit", visit(context, url, cookie))
                report("second visit, service worker in place", visit(context, url, cookie))
                browser.close()
        finally:
            server.terminate()
