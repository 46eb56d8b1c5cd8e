from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext

from insights.charts import percent, short_day, short_day_month

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


@register.filter
def signed(value):
    """A score with its sign and one decimal, the reader's decimal mark: "+1.5", "+1,5"."""
    return f"{value:+.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def one_place(value):
    """One decimal, the reader's decimal mark: "2.0", "2,0"."""
    return f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def days(value):
    """Days with one decimal under ten, whole days from ten on, in the reader's language."""
    if value is None:
        return gettext("no data")
    places = 1 if value < 10 else 0
    shown = number_format(round(value, places), places)
    return gettext("%(days)s days") % {"days": shown}
