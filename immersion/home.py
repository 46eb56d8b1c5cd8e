"""What each person sees first: the panels of their home page, and where signing in lands.

Apps contribute both in ``AppConfig.ready()``, as they do for the menu, so the home page
shows the journal's and the insights' work without this package importing them.

A home is chosen by the user's primary role; ``None`` is the home of users with no role
(action owners). A panel names the homes it belongs to, the template that draws it and
a function ``context(user)`` that returns what the template shows, or ``None`` to leave
the panel out. A landing is a function ``where(user)`` returning a URL or ``None``; the
first one that answers, in order, is where signing in takes the user.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from immersion.models import Role


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable
    homes: frozenset[Role | None]
    order: int


@dataclass(frozen=True)
class Landing:
    where: Callable
    order: int


_panels: dict[str, Panel] = {}
_landings: dict[str, Landing] = {}


def register_panel(
    template: str, context: Callable, homes: Iterable[Role | None], order: int = 50
) -> None:
    _panels[template] = Panel(template, context, frozenset(homes), order)


def register_landing(name: str, where: Callable, order: int = 50) -> None:
    _landings[name] = Landing(where, order)


def panels_for(user) -> list[dict]:
    """The panels of the user's home, in order: each a template and what it shows."""
    home = user.primary_role
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        if home not in panel.homes:
            continue
        context = panel.context(user)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


def landing_for(user) -> str:
    """Where the user's work is right now; the home page when nothing more pressing waits."""
    for landing in sorted(_landings.values(), key=lambda entry: entry.order):
        url = landing.where(user)
        if url:
            return url
    return reverse("home")
