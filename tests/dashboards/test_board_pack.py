"""The board pack: a PDF of the dashboard read back, and its monthly e-mail sent once."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from insights import board_pack, tasks
from insights.models import BoardPackDelivery
from tests.browser.conftest import artifacts_dir
from tests.conftest import skip_or_fail
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db

URL = reverse("insights:board-pack")
MAY = dt.date(2026, 5, 1)


@pytest.fixture
def pdf(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def opted_in(cast):
    executive = cast["executive"]
    executive.board_pack_emails = True
    executive.save(update_fields=["board_pack_emails"])
    return executive


@pytest.mark.parametrize(
    ("who", "status"),
    [("executive", 200), ("cx_lead", 200), ("manager", 200), ("owner", 403)],
)
def test_who_may_download_the_board_pack(client_as, cast, who, status):
    assert client_as(cast[who]).get(URL).status_code == status


def test_a_malformed_filter_gets_the_dashboards_message_and_400(client_as, cast):
    response = client_as(cast["executive"]).get(URL, {"period": "forever"})
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_the_dashboard_links_to_the_board_pack_for_its_filters(client_as, cast):
    page = client_as(cast["executive"]).get(reverse("insights:dashboard"), PERIOD)
    assert f"{URL}?period=custom&amp;start=2026-05-04&amp;end=2026-06-14" in page.content.decode()


def test_the_pdf_holds_the_headline_figures(pdf):
    first = page_texts(pdf)[0]
    # The crafted figures (tests/dashboards/test_figures.py): 4 observations, 5 actions,
    # 1 overdue, 3 sessions completed.
    assert "Observations" in first
    assert "Overdue now" in first
    assert "Actions raised" in first
    assert "75%" in first  # completion of actions due


def test_the_pdf_opens_on_the_four_figures_and_their_comparison(pdf):
    first = page_texts(pdf)[0]
    # tests/dashboards/test_headline.py: on time 25% (1 of 4 due), two overdue now
    # against one on 3 May, worse.
    assert "Actions finished on time" in first
    assert "1 of 4 due" in first
    assert "Worse: +1" in first
    assert "was 1 on 3 May 2026" in first


def test_every_page_states_the_period_and_filters_and_its_number(pdf):
    pages = page_texts(pdf)
    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert "4 May 2026 to 14 Jun 2026" in text
        assert f"Page {number} of {len(pages)}" in text


def test_the_charts_are_vector_graphics_and_the_data_tables_are_text(pdf):
    pages = PdfReader(io.BytesIO(pdf)).pages
    # No chart was turned into an image: the pages carry drawing operators, not pictures.
    assert all(not page.images for page in pages)
    assert any("Sessions completed and target, by week" in p.extract_text() for p in pages)


def test_the_pdf_renders_to_images_for_a_look(pdf):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        skip_or_fail("poppler's pdftoppm is not installed (.ci/run installs it)")
    target = artifacts_dir() / "board-pack.pdf"
    target.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftoppm, "-png", "-r", "60", str(target), str(target.with_suffix(""))], check=True
    )
    assert sorted(artifacts_dir().glob("board-pack-*.png"))


def test_only_executives_are_offered_the_monthly_board_pack(client_as, cast):
    url = reverse("insights:notification-settings")
    assert "board_pack_emails" in client_as(cast["executive"]).get(url).content.decode()
    assert "board_pack_emails" not in client_as(cast["cx_lead"]).get(url).content.decode()


def test_an_executive_opts_in_on_the_settings_page(client_as, cast):
    url = reverse("insights:notification-settings")
    response = client_as(cast["executive"]).post(
        url, {"reminder_emails": "on", "board_pack_emails": "on"}
    )
    assert response.status_code == 302
    cast["executive"].refresh_from_db()
    assert cast["executive"].board_pack_emails


def test_a_cx_lead_cannot_opt_in_by_posting_the_field(client_as, cast):
    client_as(cast["cx_lead"]).post(
        reverse("insights:notification-settings"), {"board_pack_emails": "on"}
    )
    cast["cx_lead"].refresh_from_db()
    assert not cast["cx_lead"].board_pack_emails


def test_last_month_is_the_calendar_month_before():
    assert board_pack.last_month(dt.date(2026, 6, 1)) == MAY
    assert board_pack.last_month(dt.date(2026, 1, 15)) == dt.date(2025, 12, 1)


def test_beat_queues_the_board_pack_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["insights-monthly-board-pack"]
    assert entry["task"] == "insights.tasks.queue_monthly_board_packs"
    assert entry["schedule"].day_of_month == {1}


def test_only_executives_who_opted_in_get_it_once_even_when_run_twice(cast, crafted, opted_in):
    with time_machine.travel(dt.datetime(2026, 6, 1, 7, 30, tzinfo=dt.UTC), tick=False):
        tasks.queue_monthly_board_packs.delay()
        tasks.queue_monthly_board_packs.delay()
    [email] = mail.outbox
    assert email.to == [opted_in.email]
    assert "May 2026" in email.subject
    [(name, content, kind)] = email.attachments
    assert (name, kind) == ("board-pack-2026-05-01-to-2026-05-31.pdf", "application/pdf")
    assert "1 May 2026 to 31 May 2026" in page_texts(content)[0]
    assert BoardPackDelivery.objects.get().sent_at is not None


def test_a_failed_send_gives_the_month_back(cast, opted_in, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(OSError, match="mail server down"):
        board_pack.deliver(opted_in.pk, MAY)
    assert not BoardPackDelivery.objects.exists()


def test_making_a_pdf_leaves_the_photo_pipeline_refusing_truncated_images(pdf):
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_pdf_follows_the_dashboards_switch_to_shares(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, {**PERIOD, "feelings": "shares"})
    texts = page_texts(response.content)
    whole = " ".join(texts)

    assert "Share of the observations at each touchpoint, by feeling, good and bad" in whole
    assert "Share of the touchpoint" in whole
    # Store: two frustrated observations, all of that touchpoint's in the period.
    assert "100%" in whole
    assert all("feelings as shares of each touchpoint" in text for text in texts)


def test_an_unknown_feelings_mode_gives_counts(client_as, cast, crafted):
    response = client_as(cast["executive"]).get(URL, {**PERIOD, "feelings": "bogus"})
    whole = " ".join(page_texts(response.content))

    assert "Observations by feeling and touchpoint, good and bad" in whole
    assert "Share of the touchpoint" not in whole
