"""Demo themes: the list a CX lead keeps, and the triaged demo observations filed under it.

Each triaged observation gets the themes its words point to (or, failing that, the usual
theme of its touchpoint); each action takes the themes of the observations it addresses.
The untriaged ones are left for the CX lead, who then sees themes suggested from the
same touchpoint and from similar observations. Nothing is made twice.
"""

import re

from insights.models import Action, ActionTheme, ObservationTheme, Theme
from journal.models import Observation

THEMES = {
    "Signage": "Signs, maps and labels that point customers the wrong way, or nowhere.",
    "Waiting time": "Queues, slow replies and time customers spend waiting for us.",
    "Staff knowledge": "What colleagues know, and how they use it for the customer.",
    "Packaging": "Boxes, wrapping and how a product reaches the customer's hands.",
    "Information": "What we tell customers, on paper, on screens and on the phone.",
    "Accessibility": "Whether every customer can get in, get round and be heard.",
    "Digital journey": "Websites, apps, chat and self-service that help or get in the way.",
    "Policy": "Our own rules, when they work against the customer.",
}
# Words in what was seen -> themes; the first themes that match are the observation's.
WORDS = [
    (("sign", "floor map"), ["Signage"]),
    (("queue", "waiting", "minutes", "till open", "slots", "transferred"), ["Waiting time"]),
    (("colleague", "adviser", "new starter", "knew"), ["Staff knowledge"]),
    (("box", "clamshell", "tear strip", "packed", "padded"), ["Packaging"]),
    (("leaflet", "label", "bill", "price", "capacity", "announcement"), ["Information"]),
    (("wheelchair", "step", "ramp", "hearing", "aisle", "accessible"), ["Accessibility"]),
    (("app", "chat", "online", "website", "qr code", "self-checkout", "form"),
     ["Digital journey"]),
    (("refused", "receipt", "only book", "impossible"), ["Policy"]),
]  # fmt: skip
BY_TOUCHPOINT = {
    "packaging": "Packaging",
    "product": "Information",
    "information": "Information",
    "store": "Signage",
    "signage": "Signage",
    "staff": "Staff knowledge",
    "website": "Digital journey",
    "app": "Digital journey",
    "chat": "Digital journey",
    "phone": "Waiting time",
    "email": "Waiting time",
    "delivery": "Waiting time",
    "billing": "Information",
    "policy": "Policy",
}
MOST = 2


def themes_for(observation, by_name) -> list:
    text = observation.what_happened.lower()
    names = [
        name
        for words, names in WORDS
        if any(re.search(rf"\b{re.escape(word)}", text) for word in words)
        for name in names
    ]
    if not names and observation.touchpoint in BY_TOUCHPOINT:
        names = [BY_TOUCHPOINT[observation.touchpoint]]
    return [by_name[name] for name in dict.fromkeys(names)][:MOST]


def seed(out) -> None:
    if Theme.objects.exists():
        return
    by_name = {
        name: Theme.objects.create(name=name, description=description)
        for name, description in THEMES.items()
    }
    triaged = Observation.objects.exclude(triage_state=Observation.TriageState.UNTRIAGED)
    ObservationTheme.objects.bulk_create(
        ObservationTheme(observation=observation, theme=theme)
        for observation in triaged
        for theme in themes_for(observation, by_name)
    )
    links = Action.observations.through.objects.values_list("action_id", "observation_id")
    themes_of = {}
    for observation_id, theme_id in ObservationTheme.objects.values_list(
        "observation_id", "theme_id"
    ):
        themes_of.setdefault(observation_id, set()).add(theme_id)
    pairs = {
        (action_id, theme_id)
        for action_id, observation_id in links
        for theme_id in themes_of.get(observation_id, ())
    }
    ActionTheme.objects.bulk_create(
        ActionTheme(action_id=action_id, theme_id=theme_id) for action_id, theme_id in pairs
    )
    out.write(f"Filed the triaged demo observations and their actions under {len(by_name)} themes.")
