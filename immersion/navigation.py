"""The main navigation, filled by each app for the roles it serves.

Apps register their entries in ``AppConfig.ready()``, so this package never
imports the apps that depend on it. On phones the entries sit in a bottom bar
that fits one thumb: at most five places, the last becoming "More" when needed.
"""

from dataclasses import dataclass

from django.urls import reverse

from immersion.models import Role

PHONE_BAR_SLOTS = 5


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None
    order: int = 50

    def visible_to(self, user) -> bool:
        return self.roles is None or bool(self.roles & user.roles)


_items: dict[str, NavItem] = {}


def register(label: str, url_name: str, roles, order: int = 50) -> None:
    """Show the entry to users holding any of `roles`; `roles=None` shows it to everyone
    signed in, including action owners who hold no role."""
    _items[url_name] = NavItem(label, url_name, None if roles is None else frozenset(roles), order)


def items_for(user, path: str = "") -> list[dict]:
    """The user's entries in order, the one whose URL best prefixes `path` marked current."""
    if not user.is_authenticated:
        return []
    visible = sorted(
        (item for item in _items.values() if item.visible_to(user)), key=lambda i: i.order
    )
    entries = [{"label": item.label, "url": reverse(item.url_name)} for item in visible]
    matches = [
        e for e in entries if path == e["url"] or (e["url"] != "/" and path.startswith(e["url"]))
    ]
    current = max(matches, key=lambda e: len(e["url"]), default=None)
    for entry in entries:
        entry["current"] = entry is current
    return entries


def split_for_phone(entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """(bar, more): all entries if they fit the bar, else the first four and the rest."""
    if len(entries) <= PHONE_BAR_SLOTS:
        return entries, []
    return entries[: PHONE_BAR_SLOTS - 1], entries[PHONE_BAR_SLOTS - 1 :]
