from django import template

from insights.charts import percent

register = template.Library()


@register.filter
def pct(value):
    """A share as a whole percentage; "no data" when there is nothing to divide."""
    return percent(value)


@register.filter
def days(value):
    if value is None:
        return "no data"
    return f"{value:.1f} days" if value < 10 else f"{value:.0f} days"
