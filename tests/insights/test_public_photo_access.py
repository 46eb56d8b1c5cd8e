"""Who reaches the public-photo pages, and what the public page costs as photos grow.

The CX lead pages follow the action's rule: the CX lead whose scope holds the action's
team works there; whoever else sees the action gets 403, whoever does not gets 404.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from insights.models import Action, PublicPhoto
from tests import factories
from tests.insights.helpers import verified

pytestmark = pytest.mark.django_db

ALT = "The new sign by the lifts."
QUERIES_LIST = 8


@pytest.fixture
def fix(action, owner, cx_lead):
    verified(action, owner, cx_lead)
    action.edit(by=cx_lead, you_said="Lost.", we_did="A sign.", is_published=True)
    return action


@pytest.fixture
def photo(fix, owner, django_capture_on_commit_callbacks):
    """An evidence photo with its renditions made, already published once."""
    with django_capture_on_commit_callbacks(execute=True):
        made = factories.PhotoFactory(image=Image.new("RGB", (300, 200), "teal"), uploaded_by=owner)
    fix.evidence_photos.add(made)
    PublicPhoto.publish(action=fix, photo=made, by=fix.verified_by, drawn_boxes=[], alt_text=ALT)
    return made


@pytest.fixture
def other_cx_lead(db):
    elsewhere = factories.RegionFactory(name="South")
    return factories.CxLeadFactory(username="other_cx_lead", teams=[elsewhere])


def pages(fix, photo):
    """(method, url, data) for every CX lead page of one photo."""
    args = [fix.pk, photo.pk]
    edit = reverse("insights:public-photo-edit", args=args)
    return [
        ("get", reverse("insights:action-public-photos", args=[fix.pk]), None),
        ("get", edit, None),
        ("post", edit, {"step": "preview", "boxes": "", "alt_text": ALT}),
        ("post", edit, {"step": "publish", "boxes": "", "alt_text": ALT}),
        ("get", reverse("insights:public-photo-preview", args=args), None),
        ("get", reverse("insights:public-photo-source", args=args), None),
        ("post", reverse("insights:public-photo-take-down", args=args), None),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 403),
        ("executive", 403),
        ("owner", 403),
        ("other_manager", 404),
        ("other_cx_lead", 404),
    ],
)
def test_only_the_cx_lead_of_the_fix_reaches_its_photo_pages(
    client_as, cast, other_cx_lead, fix, photo, role, expected
):
    user = other_cx_lead if role == "other_cx_lead" else cast[role]
    client = client_as(user)

    for method, url, data in pages(fix, photo):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == expected, f"{role} {method.upper()} {url}"
    assert PublicPhoto.objects.get().published_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(client_as, fix, photo):
    client = client_as(None)

    for method, url, data in pages(fix, photo):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response["Location"].startswith("/accounts/login/")


def test_the_cx_lead_of_the_fix_reaches_every_page(client_as, cx_lead, fix, photo):
    client = client_as(cx_lead)

    for method, url, data in pages(fix, photo):
        response = getattr(client, method)(url, data or {})
        assert response.status_code in {200, 302}, f"{method.upper()} {url}"


def test_the_action_page_links_to_its_photos_for_the_cx_lead_only(
    client_as, cx_lead, executive, fix
):
    link = reverse("insights:action-public-photos", args=[fix.pk])
    url = reverse("insights:action-detail", args=[fix.pk])

    assert link in client_as(cx_lead).get(url).content.decode()
    assert link not in client_as(executive).get(url).content.decode()


def test_the_list_marks_which_photos_are_public(client_as, cx_lead, fix, photo, owner):
    fix.evidence_photos.add(factories.PhotoFactory(uploaded_by=owner))

    body = client_as(cx_lead).get(reverse("insights:action-public-photos", args=[fix.pk]))

    text = body.content.decode()
    assert text.count("On the public page") == 1
    assert text.count("Not public") == 1


# --- the public page ------------------------------------------------------------------


def published_fixes(count, cast, store_a):
    """`count` published fixes, each with a before and an after photo on the public page.

    The rows are made directly: the page reads rows, never the files.
    """
    for n in range(count):
        session = factories.SessionFactory(team=store_a, lead=cast["manager"])
        observation = factories.ObservationFactory(session=session)
        action = factories.ActionFactory(
            team=store_a, owner=cast["owner"], created_by=cast["cx_lead"]
        )
        action.observations.add(observation)
        verified(action, cast["owner"], cast["cx_lead"])
        action.edit(by=cast["cx_lead"], you_said=f"Said {n}", we_did=f"Did {n}", is_published=True)
        before = factories.PhotoFactory(observation=observation, uploaded_by=cast["manager"])
        after = factories.PhotoFactory(uploaded_by=cast["owner"])
        action.evidence_photos.add(after)
        for side, source in ((PublicPhoto.Side.BEFORE, before), (PublicPhoto.Side.AFTER, after)):
            PublicPhoto.objects.create(
                action=action,
                photo=source,
                side=side,
                file=f"public-photos/{source.pk.hex}.jpg",
                width=640,
                height=480,
                alt_text=f"{side.label} {n}",
                published_by=cast["cx_lead"],
                published_at=action.verified_at,
            )


@pytest.mark.parametrize("count", [1, 6])
def test_the_public_page_query_count_does_not_grow_with_photos(
    client_as, cast, store_a, count, django_assert_num_queries
):
    published_fixes(count, cast, store_a)
    cache.clear()
    client = client_as(None)

    # Published fixes, what their re-visits found, their published photos, their total,
    # the promise-keeping months, the promises (none: their versions are not read), the
    # audited months and the places with fixes.
    with django_assert_num_queries(8):
        response = client.get(reverse("insights:public"))

    body = response.content.decode()
    assert body.count("<img") == 2 * count
    assert Action.objects.filter(is_published=True).count() == count


def test_the_public_page_puts_each_fix_before_photo_first(client_as, cast, store_a):
    published_fixes(1, cast, store_a)

    body = client_as(None).get(reverse("insights:public")).content.decode()

    assert body.index('alt="Before 0"') < body.index('alt="After 0"')


@pytest.mark.parametrize("count", [1, 5])
def test_the_photo_list_query_count_does_not_grow(
    client_as, cx_lead, fix, observation, manager, count, django_assert_num_queries
):
    for _ in range(count):
        factories.PhotoFactory(observation=observation, uploaded_by=manager)
    client = client_as(cx_lead)

    # The user (the session is in the cache), their roles, teams and scope subtree; the
    # action; its public copies with who published them, its before and its after photos.
    with django_assert_num_queries(QUERIES_LIST):
        assert (
            client.get(reverse("insights:action-public-photos", args=[fix.pk])).status_code == 200
        )
