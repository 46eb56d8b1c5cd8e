"""The executive's reporting in French for a French reader: the page, its CSV files,
the board pack PDF and the e-mails; the same for an English reader stays English."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from immersion.models import User
from insights import board_pack, digest
from tests.dashboards.conftest import PERIOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(cast):
    executive = cast["executive"]
    User.objects.filter(pk=executive.pk).update(language="fr")
    executive.refresh_from_db()
    return executive


def download(client, table):
    response = client.get(reverse("insights:dashboard-csv", args=[table]), PERIOD)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_dashboard_reads_in_french(client_as, french, crafted):
    page = client_as(french).get(reverse("insights:dashboard"), PERIOD).content.decode()
    assert "Ce que nous voyons est-il suivi d’effet ?" in page
    assert "En un coup d’œil" in page
    # tests/dashboards/test_headline.py: on time 25% (1 of 4 due), two overdue now
    # against one on 3 May, worse.
    assert "Actions terminées à temps" in page
    assert "1 sur 4 arrivées à échéance" in page
    assert "25 %" in page
    assert "Moins bien" in page
    assert "contre 1 le 3 mai 2026" in page
    assert "Toutes vos équipes, du 4 mai 2026 au 14 juin 2026." in page
    assert "Télécharger le dossier de direction (PDF)" in page
    assert "Participation par semaine" in page
    assert "Ressentis positifs" in page
    for english in ("At a glance", "Participation by week", "Download this table", "Worse"):
        assert english not in page


def test_the_dashboard_filters_are_in_french(client_as, french):
    page = client_as(french).get(reverse("insights:dashboard"), {"period": "forever"})
    text = page.content.decode()
    assert "Ces filtres n’ont pas pu être appliqués" in text
    assert "Toutes mes équipes" in text
    assert "13 dernières semaines" in text


def test_the_csv_headers_follow_the_downloading_users_language(client_as, cast, french, crafted):
    rows = download(client_as(french), "feelings")
    assert rows[0] == [
        "Point de contact",
        "Ressenti",
        "Valence",
        "Observations",
        "Part du point de contact",
    ]
    english = download(client_as(cast["cx_lead"]), "feelings")
    assert english[0] == ["Touchpoint", "Feeling", "Valence", "Observations", "Share of touchpoint"]


def test_the_headline_csv_is_in_french(client_as, french, crafted):
    rows = download(client_as(french), "headline")
    assert rows[0][:3] == ["Indicateur", "Période", "Valeur"]
    assert rows[1][0] == "Actions terminées à temps"


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_board_pack_pdf_is_in_french_for_a_french_reader(client_as, french, crafted):
    response = client_as(french).get(reverse("insights:board-pack"), PERIOD)
    assert response.status_code == 200
    pages = pdf_text(response.content)
    first = pages[0]
    assert "Actions terminées à temps" in first
    assert "1 sur 4 arrivées à échéance" in first
    assert "Moins bien : +1" in first
    assert "Tous les chiffres de la période" in first
    for number, text in enumerate(pages, start=1):
        assert "du 4 mai 2026 au 14 juin 2026" in text
        assert f"Page {number} sur {len(pages)}" in text
    assert any("Participation par semaine" in text for text in pages)
    assert not any("At a glance" in text or "Page 1 of" in text for text in pages)


def test_the_monthly_board_pack_comes_in_the_executives_language(french, crafted):
    french.board_pack_emails = True
    french.save(update_fields=["board_pack_emails"])
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert board_pack.deliver(french.pk, dt.date(2026, 5, 1))
    email = mail.outbox[0]
    assert "le dossier de direction de mai 2026" in email.subject
    assert "Vous trouverez ci-joint le dossier de direction" in email.body
    _filename, content, _mimetype = email.attachments[0]
    assert "Actions terminées à temps" in pdf_text(content)[0]


def test_the_weekly_digest_comes_in_the_readers_language(french, crafted):
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert digest.deliver(french.pk, dt.date(2026, 5, 25))
    email = mail.outbox[0]
    assert "la semaine du 25 mai 2026" in email.subject
    # The same figures as tests/dashboards/test_digest.py, in French.
    assert "Actions créées : 1 (semaine précédente : 1, pas de changement)" in email.body
    assert "Sessions terminées : 0 (semaine précédente : 1, en baisse de 1)" in email.body
    assert "100 %" in email.body
    html, _mimetype = email.alternatives[0]
    assert 'lang="fr"' in html
    assert "Ouvrez le tableau de bord" in html


def test_the_journey_reads_in_french_with_french_decimals(client_as, french, crafted):
    page = client_as(french).get(reverse("insights:journey"), PERIOD).content.decode()
    assert "Que ressentiraient les clients tout au long du parcours ?" in page
    assert "Tout le parcours : 4 observations, moyenne " in page
    assert "écart type" in page
    assert "Toutes mes équipes" in page
    assert "How to read this page" not in page
    # Scores carry a decimal comma: "moyenne -2,0", never "-2.0".
    assert re.search(r"moyenne [+-]\d,\d", page)
    assert not re.search(r"moyenne [+-]\d\.\d", page)
