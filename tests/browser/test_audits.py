"""An auditor on a phone audits a month, and the public page says the month was checked."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import PHONE, assert_accessible, login, screenshot
from tests.dashboards.conftest import action, finish


@pytest.fixture
def month_with_fixes(cast, store_a, store_b):
    # Far enough back that its figures have settled, whatever today is.
    first = (timezone.localdate().replace(day=1) - dt.timedelta(days=70)).replace(day=1)
    day = dt.datetime.combine(first, dt.time(10), tzinfo=dt.UTC) + dt.timedelta(days=3)
    for team, evidence in ((store_a, "New sign by the lift."), (store_b, "Rota changed.")):
        made = action(team, cast["owner"], day, first + dt.timedelta(days=20))
        finish(
            made,
            day + dt.timedelta(days=2),
            verified_at=day + dt.timedelta(days=3),
            verifier=cast["cx_lead"],
            evidence_note=evidence,
        )
    return first


def test_an_auditor_samples_checks_and_signs_a_month_at_360_px(new_page, month_with_fixes):
    auditor = factories.AuditorFactory(username="audrey")
    page = new_page(**PHONE)
    login(page, auditor)
    page.get_by_role("link", name="Your audits").click()
    page.get_by_label("Month to audit").select_option(label=f"{month_with_fixes:%B %Y}")
    page.get_by_label("Your organisation").fill("Fairweather Audit LLP")
    screenshot(page, "audits-start-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Draw the sample").click()

    assert page.get_by_text("2 items drawn at random for").is_visible()
    page.get_by_role("link", name="Check the next item").click()
    screenshot(page, "audits-item-phone")
    assert_accessible(page)
    page.get_by_label("Not confirmed").check()
    page.get_by_role("button", name="Record and go to the next").click()
    assert page.get_by_text("Say what the evidence does not show.").first.is_visible()
    page.get_by_label("Note").fill("No photo of the change.")
    page.get_by_role("button", name="Record and go to the next").click()
    page.get_by_label("Confirmed by the evidence").check()
    page.get_by_role("button", name="Record and go to the next").click()

    page.get_by_label("Your statement").fill("Both fixes drawn at random and checked.")
    screenshot(page, "audits-sign-phone")
    assert_accessible(page)
    page.get_by_role("button", name="Sign and publish").click()
    assert page.get_by_text("the figures for").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    public = new_page(**PHONE)
    public.goto("/insights/you-said-we-did/")
    line = public.locator(".audit-checks li").first
    assert "checked by Fairweather Audit LLP" in line.inner_text()
    assert "1 of 2 sampled fixes confirmed" in line.inner_text()
    line.get_by_role("link").click()
    assert public.get_by_text("Both fixes drawn at random and checked.").is_visible()
    screenshot(public, "audits-statement-phone")
    assert_accessible(public)
