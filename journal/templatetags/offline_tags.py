"""The page's part of the installable app: whose pages these are, for the service worker."""

from django import template

from journal import offline

register = template.Library()


@register.simple_tag(takes_context=True)
def user_scope(context) -> str:
    # Error pages render without a request; they belong to nobody.
    user = context.get("user")
    return offline.user_scope(user) if user is not None else ""
