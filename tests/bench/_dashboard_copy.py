"""The dashboard bench's rows by COPY on PostgreSQL: each line made in Python by the
formulas ``_dashboard_load.SelectedRows`` gives in SQL, written in large chunks."""

import datetime as dt
import itertools
import uuid

from django.db import connection

from tests.bench._dashboard_load import (
    EMOTIONS,
    STORES,
    TOUCHPOINTS,
    UUID,
    Organisation,
    Shape,
    other_columns,
)

NULL = r"\N"  # in COPY's text format
CHUNK = 50_000  # lines per write


class CopiedRows:
    """The same rows by COPY, each line made in Python by the formulas of SelectedRows.

    With the indexes dropped, COPY and INSERT ... SELECT take about as long: at a million
    observations, on two cores shared with other work, 4.1 and 5.1 s for the observations
    by COPY against 4.8 and 5.7 s by INSERT ... SELECT, 1.4 and 1.6 s for the actions
    against 1.1 and 1.5 s, sessions (0.5 to 0.7 s) and links (0.4 to 0.6 s) alike. The
    Python making the lines is a quarter of it (1.5 s for the observations); sending them
    from a second thread (psycopg's QueuedLibpqWriter) gained nothing measurable. What
    made the old load slow was keeping the indexes up row by row.
    """

    def __init__(self, org: Organisation, shape: Shape, now: dt.datetime):
        self.org, self.shape = org, shape
        now = now.astimezone(dt.UTC)  # the connection's zone, for dates of timestamps
        self.at = Stamps(now, dt.datetime.isoformat)
        self.day = Stamps(now, lambda moment: moment.date().isoformat())

    def sessions(self, model) -> None:
        org, at = self.org, self.at
        first_type, n_types = org.type_ids[0], len(org.type_ids)
        first_persona, programme = org.persona_ids[0], org.programme_id
        first_store, first_lead = org.store_ids[0], org.manager_ids[0]
        n_managers = len(org.manager_ids)

        def lines():
            for i in range(self.shape.sessions):
                start = -((i % 364) * 1440 + 600)
                persona = first_persona + i % 2 if i % 3 == 0 else NULL
                if i % 10 == 9:
                    status = f"planned\t{NULL}\t{NULL}\t\t\t"
                else:
                    status = f"completed\t{at[start]}\t{at[start + 60]}\tBench\tBench\tBench"
                yield (
                    f"{first_type + i % n_types}\t{persona}\t"
                    f"{programme if i % 2 == 0 else NULL}\t{first_store + i % STORES}\t"
                    f"{at[start]}\t{at[start + 60]}\t{first_lead + i % n_managers}\t"
                    f"{status}\t{at[start]}"
                )

        columns = [
            *("session_type_id", "persona_id", "programme_id", "team_id"),
            *("planned_start", "planned_end", "lead_id", "status", "started_at", "ended_at"),
            *("surprised_by", "customer_feeling", "would_change", "created_at"),
        ]
        copy_rows(model, columns, {"place": "Shop floor", "brief": "Bench"}, lines())

    def observations(self, model, first_session: int) -> None:
        at, n_sessions = self.at, self.shape.sessions
        first_author, n_managers = self.org.manager_ids[0], len(self.org.manager_ids)
        # Touchpoint, feeling, intensity and triage come round every 90 rows.
        turns = []
        for j in range(90):
            state = "actioned" if j % 10 < 6 else "no_action" if j % 10 == 8 else "untriaged"
            note = "Not ours to change" if j % 10 == 8 else ""
            values = f"{TOUCHPOINTS[j * 7 % 15]}\t{EMOTIONS[j * 13 % 9]}\t{1 + j * 17 % 5}"
            turns.append((f"{values}\t{state}\t{note}", j % 10 not in (6, 7, 9)))
        run = uuid.uuid4().hex[:16]  # client UUIDs unique beyond this load too

        def lines():
            for i in range(self.shape.observations):
                session = i % n_sessions
                seen = (i // n_sessions) * 5 - ((session % 364) * 1440 + 600)
                turn, triaged = turns[i % 90]
                yield (
                    f"{run}{i:016x}\t{first_session + session}\t"
                    f"{first_author + session % n_managers}\t{at[seen]}\t{at[seen]}\t{turn}\t"
                    f"{at[seen + 1440] if triaged else NULL}"
                )

        columns = [
            *("client_uuid", "session_id", "author_id", "created_at", "updated_at"),
            *("touchpoint", "emotion", "intensity", "triage_state", "triage_note", "triaged_at"),
        ]
        constants = {
            "journey_stage": "use",
            "what_happened": "Bench observation",
            "kind": "pain_point",
            "impact": "medium",
        }
        copy_rows(model, columns, constants, lines())

    def actions(self, model) -> None:
        at, day, n_sessions, step = self.at, self.day, self.shape.sessions, self.shape.step
        first_owner, n_managers = self.org.manager_ids[0], len(self.org.manager_ids)
        first_store, cx_lead = self.org.store_ids[0], self.org.cx_lead.pk
        status = ["open", "open", "in_progress", "done", "done", *["verified"] * 4, "dropped"]

        def lines():
            for i in range(self.shape.actions):
                obs = i * step
                session = obs % n_sessions
                seen = (obs // n_sessions) * 5 - ((session % 364) * 1440 + 600)
                raised = seen + (i % 7) * 1440 + 60
                done = raised + (i % 20) * 1440
                turn = i % 10
                finished, verified = 3 <= turn <= 8, 5 <= turn <= 8
                if verified and i % 4 == 0:
                    published = "The sign was hard to read\tWe made it bigger\tt"
                else:
                    published = "\t\tf"
                yield (
                    f"{first_owner + session % n_managers}\t{first_store + session % STORES}\t"
                    f"{day[raised + 14 * 1440]}\t{status[turn]}\t{at[raised]}\t{at[raised]}\t"
                    + (f"{at[done]}\tPhoto of the new sign\t" if finished else f"{NULL}\t\t")
                    + (f"{at[done + 2880]}\t{cx_lead}\t" if verified else f"{NULL}\t{NULL}\t")
                    + ("Fixed company-wide\t" if turn == 9 else "\t")
                    + published
                )

        columns = [
            *("owner_id", "team_id", "due_on", "status", "created_at", "updated_at"),
            *("done_at", "evidence_note", "verified_at", "verified_by_id", "dropped_reason"),
            *("you_said", "we_did", "is_published"),
        ]
        constants = {"title": "Bench action", "description": "Bench", "created_by_id": cx_lead}
        copy_rows(model, columns, constants, lines())

    def links(self, through, first_action: int, first_observation: int) -> None:
        step = self.shape.step
        lines = (
            f"{first_action + i}\t{first_observation + i * step}" for i in range(self.shape.actions)
        )
        copy_rows(through, ["action_id", "observation_id"], {}, lines)


class Stamps(dict):
    """A moment's text by its minutes from now, each made once: the rows share a few
    thousand."""

    def __init__(self, now: dt.datetime, text):
        super().__init__()
        self.now, self.text = now, text

    def __missing__(self, minutes: int) -> str:
        text = self[minutes] = self.text(self.now + dt.timedelta(minutes=minutes))
        return text


def copy_rows(model, columns: list[str], constants: dict, lines) -> None:
    """COPY model's table from lines of the columns' values (COPY's text format); every
    other column gets the same value in every row, from constants or other_columns."""
    fixed = {**other_columns(model, [*columns, *constants]), **constants}
    if UUID in fixed.values():
        raise RuntimeError(f"{model.__name__} needs a UUID in every line")
    texts = [
        NULL if v is None else ("t" if v else "f") if isinstance(v, bool) else str(v)
        for v in fixed.values()
    ]
    end = "".join(f"\t{text}" for text in texts) + "\n"
    sql = f"COPY {model._meta.db_table} ({', '.join([*columns, *fixed])}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        while chunk := list(itertools.islice(lines, CHUNK)):
            copy.write(end.join(chunk) + end)
