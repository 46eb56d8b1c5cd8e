"""CSV downloads that a spreadsheet opens as data, never as formulas.

Every export goes through `csv_response`, so text typed by anyone (an observation, an
action title, a note) cannot become `=HYPERLINK(...)` or `@SUM(...)` in a reader's Excel or
LibreOffice. The rule is OWASP's: a text cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading single quote, which spreadsheets show as plain text.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> object:
    # Numbers the export writes itself stay numbers, a negative one included: they come
    # from the database, never from text someone typed. bool is an int but not a figure.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds the response."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]):
    """A streamed download, row by row, so a large export never sits in memory."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
