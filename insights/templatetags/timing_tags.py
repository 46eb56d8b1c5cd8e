"""Durations on action pages: time in each status, time to start, done and verified."""

from django import template

from insights.timing import duration_label

register = template.Library()


@register.filter
def duration(value) -> str:
    return duration_label(value)
