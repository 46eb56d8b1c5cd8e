"""The main navigation, filled by each app for the roles it serves.

Apps register their entries in ``AppConfig.ready()``, so this package never
imports the apps that depend on it.
"""

from dataclasses import dataclass

from django.urls import reverse

from immersion.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    order: int = 50

    def visible_to(self, user) -> bool:
        return bool(self.roles & user.roles)


_items: dict[str, NavItem] = {}


def register(label: str, url_name: str, roles, order: int = 50) -> None:
    _items[url_name] = NavItem(label, url_name, frozenset(roles), order)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    visible = sorted(
        (item for item in _items.values() if item.visible_to(user)), key=lambda i: i.order
    )
    return [{"label": item.label, "url": reverse(item.url_name)} for item in visible]
