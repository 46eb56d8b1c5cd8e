"""What triaging one observation into a new action costs a CX lead: clicks and fields.

Loads the demo (as `manage.py seed_demo` does) into a throw-away database, then, as the
demo's CX lead, opens the triage page of every observation still in the queue, reads
the "New action" part of the decision form as the browser gets it, and counts the
required fields left empty (each one to type or choose) and the clicks to create the
action: one on "Create action", one more per empty choice. It then posts the form as the
page filled it, to check that accepting what is offered is a decision the site takes.
Before defaults existed an action took 5 clicks and 3 fields every time.

Run: make bench BENCH_ARGS="--only triage_effort"
"""

import io
import re
import statistics
from html.parser import HTMLParser

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from immersion.models import User
from insights import triage
from tests.bench._databases import throwaway_database


class NewActionFields(HTMLParser):
    """The fields of the "New action" fieldset: name -> (kind, required, value)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("hidden", "search", "submit"):
            self.fields[name] = ["type", "required" in attrs, attrs.get("value") or ""]
        elif tag == "select" and name:
            self._select = name
            self.fields[name] = ["choose", "required" in attrs, ""]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select][2] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ["type", "required" in attrs, ""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][2] += data.strip()


def add_arguments(parser) -> None:
    """No options: the demo data is fixed."""


def run(args) -> None:
    with throwaway_database("bench_triage"):
        call_command("seed_demo", stdout=io.StringIO())
        figures = measure()
    if not figures:
        print("No observation waits for triage in the demo.")
        return
    clicks = [c for c, _, _ in figures]
    fields = [f for _, f, _ in figures]
    taken = sum(ok for _, _, ok in figures)
    print(f"database: {connection.vendor}; observations in the demo's queue: {len(figures)}")
    for label, counts in (("clicks per new action", clicks), ("fields to fill", fields)):
        middle, mean = statistics.median(counts), statistics.mean(counts)
        print(f"{label + ':':<24}median {middle:g}, mean {mean:.2f}")
    print(f"nothing to fill:        {fields.count(0)} of {len(figures)}")
    print(f"offered form accepted:  {taken} of {len(figures)} (the decision was taken as offered)")
    print("before defaults:        5 clicks and 3 fields every time")


def measure() -> list[tuple[int, int, bool]]:
    lead = User.objects.get(username="grace")
    client = Client()
    client.force_login(lead)
    figures = []
    for observation in list(triage.triage_queue(lead)):
        html = client.get(reverse("insights:triage-observation", args=[observation.pk])).content
        part = re.search(rb'data-choice="new">(.*?)</fieldset>', html, re.S).group(1).decode()
        parser = NewActionFields()
        parser.feed(part)
        empty = [(kind, name) for name, (kind, required, value) in parser.fields.items()
                 if required and not value]  # fmt: skip
        clicks = 1 + sum(kind == "choose" for kind, _ in empty)
        offered = {name: value for name, (_, _, value) in parser.fields.items()}
        themes = re.findall(r'name="themes" value="(\d+)"[^>]*checked', html.decode())
        answer = client.post(
            reverse("insights:triage-new-action", args=[observation.pk]),
            {**offered, "themes": themes},
        )
        figures.append((clicks, len(empty), answer.status_code == 302))
    return figures
