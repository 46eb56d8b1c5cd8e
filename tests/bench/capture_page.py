"""The capture page's weight on a phone, and how soon it paints on a slow network: first
visit, and a second one with the service worker in place.

A manager with a session under way opens the capture page in Chromium (360 x 740) against
a live server on a throw-away database, and waits until the service worker has kept the
user's pages. Every answer that came over the network, the worker's own included, is
counted as production serves it: text gzipped at level 9 as WhiteNoise stores it (when
that saves 5 % or more), images and everything else as they are. The second visit, in a
new tab of the same browser, counts the same way: what the worker served from its cache
is not counted. The page's own answers are what it waits for; the worker's install
follows in the background, once.

Then, in a fresh browser profile, the same two visits under emulated slow 3G (DevTools'
Network.emulateNetworkConditions on the tab and on the service worker): the time to first
contentful paint each time, as the Performance API reports it (the median of three
fresh profiles). Static files go out gzipped as WhiteNoise would send them, so the paint
times follow from the bytes counted.

Run: make bench BENCH_ARGS="--only capture_page"
"""

import gzip
import json
import os
import statistics
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.http import HttpResponse

from tests.bench._databases import throwaway_database

TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
CHROMIUM = "/usr/bin/chromium"
# The goals of issue 16: a first visit's own answers (the worker's install follows, once,
# in the background), and everything a second visit fetches.
FIRST_VISIT_GOAL_KIB = 60
SECOND_VISIT_GOAL_KIB = 5
# Slow 3G: 400 kbit/s each way, 400 ms round trips; throughputs are in bytes per second.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
PAINT_ROUNDS = 3
FIRST_PAINT = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const paint = list.getEntriesByName("first-contentful-paint")[0];
    if (paint) resolve(paint.startTime);
  }).observe({ type: "paint", buffered: true });
})"""


def add_arguments(parser) -> None:
    parser.add_argument_group("capture_page")


def gzipped(content_type: str, body: bytes) -> bytes | None:
    """WhiteNoise's gzip copy of a file: kept only for text, and when it saves 5 % or more."""
    if not content_type.startswith(TEXT_TYPES):
        return None
    packed = gzip.compress(body, compresslevel=9)
    return packed if len(packed) < len(body) * 0.95 else None


def as_served(content_type: str, body: bytes) -> int:
    """Bytes on the wire."""
    packed = gzipped(content_type, body)
    return len(body if packed is None else packed)


class CompressedStaticFiles(StaticFilesHandler):
    """The development static files handler, answering with the gzip copy when the browser
    accepts it, as WhiteNoise does in production (the pages are gzipped by the site)."""

    def get_response(self, request):
        response = super().get_response(request)
        if response.status_code != 200 or "gzip" not in request.headers.get("Accept-Encoding", ""):
            return response
        body = b"".join(response.streaming_content) if response.streaming else response.content
        packed = gzipped(response.headers.get("Content-Type", ""), body)
        if packed is None:
            return HttpResponse(body, headers=dict(response.headers))
        compressed = HttpResponse(packed, headers=dict(response.headers))
        compressed["Content-Encoding"] = "gzip"
        compressed["Content-Length"] = str(len(packed))
        compressed["Vary"] = "Accept-Encoding"
        return compressed


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
    wait_for_the_worker(page)
    context.remove_listener("response", record)
    return answers


def wait_for_the_worker(page) -> None:
    """Until the service worker has kept the shell and the user's pages."""
    page.wait_for_function(
        "() => document.documentElement.dataset.offlineReady === 'true' || localStorage.length > 0",
        timeout=120_000,
    )
    page.wait_for_timeout(2000)


def refetch(url: str, cookie: dict) -> bytes:
    """The local live server's answer, again; only http://localhost URLs come here."""
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return answer.read()


def report(title: str, answers, goal_kib: float, *, worker_counts: bool) -> None:
    """The total, the page's own share, and beside the goal the figure it is about."""
    total = sum(size for _, size, _ in answers)
    own = sum(size for _, size, who in answers if who == "page")
    figure = total if worker_counts else own
    print(
        f"{title}: {total / 1024:.1f} KiB in {len(answers)} answers over the network, "
        f"the page's own {own / 1024:.1f} KiB; "
        f"{figure / 1024:.1f} KiB against the goal of at most {goal_kib} KiB"
    )
    for url, size, who in sorted(answers, key=lambda item: -item[1]):
        path = url.split("//", 1)[-1].split("/", 1)[-1]
        print(f"  {size / 1024:7.1f} KiB  {who:6}  /{path}")


class SlowWorkers:
    """Puts every service worker of the browser on slow 3G as well: the second visit's page
    is fetched by the worker (network first), and the tab's emulation does not cover the
    worker's own requests. DevTools reaches a worker through the browser's session."""

    def __init__(self, browser):
        self.session = browser.new_browser_cdp_session()
        self.slowed = set()
        self.next_id = 0

    def slow(self) -> None:
        targets = self.session.send("Target.getTargets")["targetInfos"]
        for target in targets:
            if target["type"] != "service_worker" or target["targetId"] in self.slowed:
                continue
            attached = self.session.send(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
            )
            for method, params in (
                ("Network.enable", {}),
                ("Network.emulateNetworkConditions", SLOW_3G),
            ):
                self.next_id += 1
                message = {"id": self.next_id, "method": method, "params": params}
                self.session.send(
                    "Target.sendMessageToTarget",
                    {"sessionId": attached["sessionId"], "message": json.dumps(message)},
                )
            self.slowed.add(target["targetId"])


def first_paint(context, url: str, workers: SlowWorkers) -> float:
    """Milliseconds from navigation to first contentful paint, in a new tab on slow 3G."""
    workers.slow()
    page = context.new_page()
    tab = context.new_cdp_session(page)
    tab.send("Network.enable")
    tab.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(url, wait_until="load", timeout=120_000)
    return page.evaluate(FIRST_PAINT)


def paint_times(browser, url: str, cookie: dict) -> tuple[float, float]:
    """First paint on a first visit (no worker, empty cache) and on a second one."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.add_cookies([cookie])
    workers = SlowWorkers(browser)
    first = first_paint(context, url, workers)
    # The worker installs in the background, slowly too once it is seen, and is waited for.
    wait_for_the_worker(context.pages[0])
    second = first_paint(context, url, workers)
    context.close()
    return first, second


def run(args) -> None:
    from django.test import override_settings
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed: no figures.")
        return
    with throwaway_database("bench_capture"):
        server = LiveServerThread("localhost", CompressedStaticFiles, port=0)
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
                first_visit = visit(context, url, cookie)
                report("first visit", first_visit, FIRST_VISIT_GOAL_KIB, worker_counts=False)
                second_visit = visit(context, url, cookie)
                title = "second visit, service worker in place"
                report(title, second_visit, SECOND_VISIT_GOAL_KIB, worker_counts=True)
                context.close()
                paints = [paint_times(browser, url, cookie) for _ in range(PAINT_ROUNDS)]
                first, second = (statistics.median(times) for times in zip(*paints, strict=True))
                print(
                    "first contentful paint on slow 3G (400 kbit/s, 400 ms latency), median of "
                    f"{PAINT_ROUNDS} fresh profiles: first visit {first / 1000:.2f} s, "
                    f"second visit {second / 1000:.2f} s"
                )
                browser.close()
        finally:
            server.terminate()
