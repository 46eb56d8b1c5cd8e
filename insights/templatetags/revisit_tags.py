"""The dashboard's re-visit figures, computed where the partial that shows them is included."""

from django import template

from insights import revisits

register = template.Library()


@register.simple_tag
def revisit_figures(filters):
    return revisits.figures(filters)


@register.simple_tag
def revisit_theme_figures(filters):
    return revisits.theme_figures(filters)
