"""The public page says what a re-visit found for a published fix, in feelings only."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from insights.models import Action
from journal.models import Emotion

pytestmark = pytest.mark.django_db
PUBLIC = reverse("insights:public")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def publish(revisit):
    Action.objects.filter(pk=revisit.action_id).update(
        is_published=True,
        you_said="The lift was out of order for a week.",
        we_did="We now check the lift every morning.",
    )
    return revisit


def public_text(client) -> str:
    return client.get(PUBLIC).content.decode()


def test_a_published_fix_shows_the_feeling_before_and_after_its_revisit(
    client,
    make_revisit,
    store_a,
):
    publish(make_revisit(store_a, after=Emotion.REASSURED))

    text = public_text(client)

    assert "customers would have felt frustrated before; now reassured." in text
    assert "Not better yet" not in text


def test_a_revisit_that_found_no_change_says_so(client, make_revisit, store_a):
    publish(make_revisit(store_a, after=Emotion.ANGRY))

    text = public_text(client)

    assert "now angry. Not better yet: we are looking at it again." in text


def test_an_unanswered_revisit_adds_nothing(client, make_revisit, store_a):
    publish(make_revisit(store_a))

    assert "We checked again" not in public_text(client)


def test_an_unpublished_fix_shows_nothing_of_its_revisit(client, make_revisit, store_a):
    make_revisit(store_a, after=Emotion.REASSURED)

    assert "now reassured" not in public_text(client)


def test_the_revisits_own_words_stay_inside(client, make_revisit, store_a):
    revisit = publish(make_revisit(store_a, after=Emotion.REASSURED))
    revisit.answer.what_happened = "INSIDE-ONLY what the manager wrote"
    revisit.answer.save()

    assert "INSIDE-ONLY" not in public_text(client)
