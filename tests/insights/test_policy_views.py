"""The service-level policy pages: who reads and changes them, and what bad input gets."""

import pytest
from django.urls import reverse

from insights.models import Action, EscalationStep, ServicePolicy
from tests import factories

pytestmark = pytest.mark.django_db
HIGH = Action.Priority.HIGH
LIST = reverse("insights:policy-list")
EDIT = reverse("insights:policy-edit", args=[HIGH])


@pytest.fixture
def store_lead(store_a):
    """A CX lead of a store: not top-level, so the organisation's policies are not theirs."""
    return factories.CxLeadFactory(username="store_lead", teams=[store_a])


@pytest.fixture
def people(cast, staff, store_lead):
    return {**cast, "staff": staff, "store_lead": store_lead}


def steps(*rows, total=None, initial=0):
    """Formset data: rows of (recipient, days) after the policy's own fields."""
    data = {
        "steps-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "6",
    }
    for number, (recipient, days) in enumerate(rows):
        data[f"steps-{number}-recipient"] = recipient
        data[f"steps-{number}-days_after_due"] = str(days)
    return data


def valid_post(**overrides):
    return {
        "days_to_due": "5",
        "reminder_days": "1",
        **steps(("owner", 0), ("cx_lead", 2), ("upper_cx_lead", 7)),
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 200),
        ("store_lead", 200),
        ("executive", 403),
        ("owner", 403),
        ("staff", 403),
        ("anonymous", 302),
    ],
)
def test_who_reads_the_policies(client_as, people, who, expected):
    assert client_as(people[who]).get(LIST).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 200),
        ("store_lead", 403),
        ("executive", 403),
        ("owner", 403),
        ("staff", 403),
        ("anonymous", 302),
    ],
)
def test_who_opens_a_policy_to_change_it(client_as, people, who, expected):
    assert client_as(people[who]).get(EDIT).status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("other_manager", 403),
        ("cx_lead", 302),
        ("store_lead", 403),
        ("executive", 403),
        ("owner", 403),
        ("staff", 403),
        ("anonymous", 302),
    ],
)
def test_who_changes_a_policy(client_as, people, who, expected):
    response = client_as(people[who]).post(EDIT, valid_post())

    assert response.status_code == expected
    assert ServicePolicy.objects.exists() == (who == "cx_lead")


def test_only_a_top_level_lead_sees_the_change_buttons(client_as, cx_lead, store_lead):
    assert b"Change the high policy" in client_as(cx_lead).get(LIST).content
    assert b"Change the high policy" not in client_as(store_lead).get(LIST).content


def test_saving_a_default_policy_stores_it_with_its_steps(client_as, cx_lead):
    response = client_as(cx_lead).post(EDIT, valid_post())

    assert response.url == LIST
    policy = ServicePolicy.objects.get(priority=HIGH)
    assert (policy.days_to_due, policy.reminder_days, policy.updated_by) == (5, 1, cx_lead)
    assert [(s.recipient, s.days_after_due) for s in policy.ordered_steps()] == [
        ("owner", 0), ("cx_lead", 2), ("upper_cx_lead", 7),
    ]  # fmt: skip


def test_the_edit_page_of_a_default_policy_starts_from_the_default_steps(
    client_as, cx_lead, settings
):
    settings.ACTION_ESCALATION_DAYS = 4

    response = client_as(cx_lead).get(EDIT)

    step = response.context["steps"].forms[0]
    assert step.initial == {"days_after_due": 4, "recipient": "cx_lead"}


def test_a_default_policy_saved_as_it_is_keeps_its_default_step(client_as, cx_lead, settings):
    settings.ACTION_ESCALATION_DAYS = 3
    data = {"days_to_due": "7", "reminder_days": "2", **steps(("cx_lead", 3), total=2)}

    response = client_as(cx_lead).post(EDIT, data)

    assert response.status_code == 302
    step = ServicePolicy.objects.get(priority=HIGH).steps.get()
    assert (step.recipient, step.days_after_due) == ("cx_lead", 3)


def test_a_step_can_be_removed_and_another_added(client_as, cx_lead):
    policy = ServicePolicy.objects.create(priority=HIGH, days_to_due=5, reminder_days=1)
    first = policy.steps.create(days_after_due=0, recipient="owner")
    data = valid_post(**steps(("owner", 0), ("cx_lead", 3), total=2, initial=1))
    data.update({"steps-0-id": str(first.pk), "steps-0-policy": str(policy.pk)})
    data["steps-0-DELETE"] = "on"

    response = client_as(cx_lead).post(EDIT, data)

    assert response.status_code == 302
    assert [(s.recipient, s.days_after_due) for s in EscalationStep.objects.all()] == [
        ("cx_lead", 3)
    ]


@pytest.mark.parametrize("size", [1, 6])
def test_the_policy_list_page_queries(client_as, cx_lead, size, django_assert_num_queries):
    for priority in Action.Priority.values:
        policy = ServicePolicy.objects.create(
            priority=priority, days_to_due=9, reminder_days=1, updated_by=cx_lead
        )
        for days in range(size):
            policy.steps.create(days_after_due=days, recipient="owner")
    client = client_as(cx_lead)
    # user, groups; the policies with who changed them, their steps; top-level teams for
    # the change rule
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.status_code == 200


BAD_INPUT = [
    ({"days_to_due": ""}, "Say how many days"),
    ({"days_to_due": "0"}, "at least one day"),
    ({"days_to_due": "-3"}, "greater than or equal to 0"),
    ({"days_to_due": "many"}, "Enter a whole number"),
    ({"days_to_due": "400"}, "less than or equal to 365"),
    ({"reminder_days": "5"}, "fewer days than the days to the due date"),
    ({"reminder_days": ""}, "or 0 for no reminder"),
    ({"steps-0-recipient": "the board"}, "Select a valid choice"),
    ({"steps-0-days_after_due": "-1"}, "greater than or equal to 0"),
    ({"steps-1-recipient": "owner", "steps-1-days_after_due": "0"}, "same people on the same day"),
    ({"steps-TOTAL_FORMS": "9"}, "Please submit at most 6 forms"),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client_as, cx_lead, change, message):
    response = client_as(cx_lead).post(EDIT, valid_post(**change))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ServicePolicy.objects.exists()
    assert not EscalationStep.objects.exists()


def test_a_broken_formset_is_a_bad_request(client_as, cx_lead):
    data = valid_post()
    del data["steps-TOTAL_FORMS"]

    response = client_as(cx_lead).post(EDIT, data)

    assert response.status_code == 400
    assert not ServicePolicy.objects.exists()


def test_an_unknown_priority_is_not_found(client_as, cx_lead):
    assert client_as(cx_lead).get(reverse("insights:policy-edit", args=[9])).status_code == 404


def test_staff_keep_the_policies_in_the_admin(client_as, staff):
    client = client_as(staff)
    response = client.post(
        reverse("admin:insights_servicepolicy_add"),
        {
            "priority": HIGH,
            "days_to_due": "5",
            "reminder_days": "1",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-days_after_due": "2",
            "steps-0-recipient": "cx_lead",
        },
    )

    assert response.status_code == 302
    policy = ServicePolicy.objects.get()
    assert policy.updated_by == staff
    assert [str(s) for s in policy.ordered_steps()] == [
        "the CX lead of the action's team, 2 days after the due date"
    ]
