"""The main navigation, filled by each app for the roles it serves.

Apps register their entries in ``AppConfig.ready()``, so this package never
imports the apps that depend on it. On phones the entries sit in a bottom bar
that fits one thumb: at most five places, the last becoming "More" when needed.
Each role has its own order, so the bar holds what that role uses most; places
of one's own (a calendar, e-mail settings) sit in the account menu instead.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse

from immersion.models import Role

PHONE_BAR_SLOTS = 5
MAIN = "main"
ACCOUNT = "account"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] | None
    order: int = 50
    order_for: Mapping[Role, int] = field(default_factory=dict)
    menu: str = MAIN
    staff: bool = False

    def visible_to(self, user) -> bool:
        return self.roles is None or bool(self.roles & user.roles) or (self.staff and user.is_staff)

    def order_of(self, user) -> int:
        """The earliest place any of the user's roles gives the entry."""
        reaching = [r for r in user.roles if self.roles is None or r in self.roles]
        return min((self.order_for.get(role, self.order) for role in reaching), default=self.order)


_items: dict[str, NavItem] = {}


def register(
    label: str,
    url_name: str,
    roles,
    order: int = 50,
    *,
    order_for: Mapping[Role, int] | None = None,
    menu: str = MAIN,
    staff: bool = False,
) -> None:
    """Show the entry to users holding any of `roles`; `roles=None` shows it to everyone
    signed in, including action owners who hold no role. `order_for` moves it for some
    roles; `menu=ACCOUNT` puts it in the account menu rather than the main one; `staff`
    shows it to staff too, whatever their roles."""
    _items[url_name] = NavItem(
        label,
        url_name,
        None if roles is None else frozenset(roles),
        order,
        dict(order_for or {}),
        menu,
        staff,
    )


def items_for(user, path: str = "", menu: str = MAIN) -> list[dict]:
    """The user's entries in order, the one whose URL best prefixes `path` marked current."""
    if not user.is_authenticated:
        return []
    visible = sorted(
        (item for item in _items.values() if item.menu == menu and item.visible_to(user)),
        key=lambda item: item.order_of(user),
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
