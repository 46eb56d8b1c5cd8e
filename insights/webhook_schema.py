"""The webhooks' payloads, described in the API schema beside the endpoints.

One entry per shape of payload; each names the events that send it. The JSON format is
described (Slack and Teams get one line of text in their own formats). The schema is
written out rather than drawn from serializers because the payload is built as plain data
by ``insights.webhooks``; a test checks real deliveries against it.
"""

from drf_spectacular.utils import OpenApiWebhook

from insights.models import Action
from insights.webhooks import EVENTS, PING

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
URL = {"type": "string", "format": "uri", "description": "The page it is about."}


def _object(properties: dict, nullable: tuple = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in nullable],
    }


ACTION = _object(
    {
        "id": {"type": "integer"},
        "title": TEXT,
        "status": {"type": "string", "enum": list(Action.Status.values)},
        "priority": TEXT,
        "due_on": {"type": ["string", "null"], "format": "date"},
        "owner": NULLABLE_TEXT,
        "team": TEXT,
        "url": URL,
    }
)
CHANGE = _object(
    {
        "from": {**NULLABLE_TEXT, "description": "The value before: a status or an owner."},
        "to": NULLABLE_TEXT,
        "note": NULLABLE_TEXT,
        "by": {**NULLABLE_TEXT, "description": "Who made the change; null for the site itself."},
    }
)
OBSERVATION = _object(
    {
        "id": {"type": "integer"},
        "session": {"type": "integer"},
        "touchpoint": TEXT,
        "feeling": TEXT,
        "intensity": {"type": "integer", "minimum": 1, "maximum": 5},
        "what_happened": TEXT,
        "kind": NULLABLE_TEXT,
        "impact": NULLABLE_TEXT,
        "triage": TEXT,
        "url": URL,
    }
)
SESSION = _object(
    {
        "id": {"type": "integer"},
        "type": TEXT,
        "lead": TEXT,
        "status": TEXT,
        "planned_start": {"type": "string", "format": "date-time"},
        "url": URL,
    }
)
WAITING = _object(
    {
        "count": {"type": "integer", "minimum": 1},
        "oldest": {"type": "string", "format": "date"},
        "url": {**URL, "description": "The triage queue for the webhook's team."},
    }
)

# Each shape: the events that send it and what its `data` holds.
SHAPES = {
    "action": {
        "events": [name for name in EVENTS if name.startswith("action.")],
        "data": _object({"action": ACTION, "change": CHANGE}, nullable=("change",)),
        "about": "An action changed. `change` says from what to what; an overdue notice has none.",
    },
    "observation": {
        "events": ["observation.recorded", "observation.triaged"],
        "data": _object({"observation": OBSERVATION}),
        "about": "An observation was recorded on a phone, or a CX lead decided what to do with it.",
    },
    "session": {
        "events": ["session.missed"],
        "data": _object({"session": SESSION}),
        "about": "A planned session passed without being started.",
    },
    "waiting": {
        "events": ["observations.waiting"],
        "data": _object({"waiting": WAITING}),
        "about": "Each morning, when observations of the team wait for triage.",
    },
    "ping": {
        "events": [PING],
        "data": _object({"message": TEXT}),
        "about": "Sent from the webhook's page to try the receiver.",
    },
}

HEADERS = [
    {
        "name": "Immersion-Signature",
        "in": "header",
        "required": True,
        "schema": TEXT,
        "description": (
            "`t=<unix time>,v1=<hex HMAC-SHA256>` of `<t>.` followed by the raw body, keyed "
            "with the webhook's secret. Refuse a body whose signature differs or whose time "
            "is more than five minutes away from yours."
        ),
    },
    {"name": "Immersion-Event", "in": "header", "required": True, "schema": TEXT},
    {
        "name": "Immersion-Delivery",
        "in": "header",
        "required": True,
        "schema": TEXT,
        "description": "The same for every try of one delivery: use it to ignore repeats.",
    },
]


def envelope(shape: dict) -> dict:
    return _object(
        {
            "delivery": {"type": "integer"},
            "event": {"type": "string", "enum": shape["events"]},
            "occurred_at": {"type": "string", "format": "date-time"},
            "team": _object({"id": {"type": "integer"}, "name": TEXT}),
            "data": shape["data"],
        }
    )


def operation(name: str, shape: dict) -> dict:
    return {
        "post": {
            "operationId": f"webhook_{name}",
            "summary": ", ".join(shape["events"]),
            "description": shape["about"],
            "tags": ["webhooks"],
            "parameters": HEADERS,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": envelope(shape)}},
            },
            "responses": {
                "2XX": {"description": "Received. Any other answer is tried again, for a day."}
            },
        }
    }


def webhook(name: str) -> OpenApiWebhook:
    return OpenApiWebhook(name, operation(name, SHAPES[name]))


# Named one by one: the schema setting imports each by its dotted path.
ACTION_WEBHOOK = webhook("action")
OBSERVATION_WEBHOOK = webhook("observation")
SESSION_WEBHOOK = webhook("session")
WAITING_WEBHOOK = webhook("waiting")
PING_WEBHOOK = webhook("ping")
