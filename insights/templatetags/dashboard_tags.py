from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from insights.charts import one_place, percent, short_day, short_day_month, signed

register = template.Library()


@register.filter
def pct(value):
    """A share as a whole percentage; "no data" when there is nothing to divide."""
    return percent(value)


@register.filter(name="short_day")
def short_day_filter(value):
    """A day with its month shortened the reader's way: "4 Jun 2026", "4 juin 2026"."""
    return short_day(value) if value else ""


@register.filter(name="short_day_month")
def short_day_month_filter(value):
    """A day and its shortened month, the reader's way: "4 Jun", "4 juin"."""
    return short_day_month(value) if value else ""


register.filter("signed", signed)
register.filter("one_place", one_place)


@register.filter
def days(value):
    """Days with one decimal under ten, whole days from ten on, in the reader's language."""
    if value is None:
        return gettext("no data")
    places = 1 if value < 10 else 0
    shown = number_format(round(value, places), places)
    return gettext("%(days)s days") % {"days": shown}
