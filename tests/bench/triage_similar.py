"""How often the action an observation was linked to is among the three suggested.

Loads the demo (as `manage.py seed_demo` does) inside a transaction that is rolled back,
then, for every observation the demo linked to an existing action, asks for the actions
most like it, as the triage page does, counting finished actions and the one it is
already linked to as candidates, since they were open and unlinked when it was triaged.
"""

import io

from django.core.management import call_command
from django.db import connection, transaction

from immersion.models import User
from insights.similar import similar_actions
from journal.models import Observation


class Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    """No options: the demo data is fixed."""


def run(args) -> None:
    try:
        with transaction.atomic():
            call_command("seed_demo", stdout=io.StringIO())
            cases, top_one, top_three = measure()
            raise Rollback
    except Rollback:
        pass
    if not cases:
        print("No linked observations in the demo to measure.")
        return
    print(f"database: {connection.vendor}")
    print(f"linked observations: {cases}")
    print(f"right action first:       {top_one:>4} ({top_one / cases:.0%})")
    print(f"right action in top three: {top_three:>4} ({top_three / cases:.0%})")


def measure() -> tuple[int, int, int]:
    lead = User.objects.get(username="grace")
    linked = (
        Observation.objects.filter(triage_note__startswith="Linked to action")
        .select_related("session__team")
        .prefetch_related("actions")
    )
    cases = top_one = top_three = 0
    for observation in linked:
        right = {action.pk for action in observation.actions.all()}
        found = [
            a.pk for a in similar_actions(observation, lead, finished_too=True, linked_too=True)
        ]
        cases += 1
        top_one += bool(found[:1] and found[0] in right)
        top_three += bool(right & set(found))
    return cases, top_one, top_three
