"""What every API view shares: paging, conditional reads, errors, and the URL helper."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseNotModified, QueryDict
from django.urls import path
from django.utils.http import parse_etags, quote_etag
from rest_framework import exceptions, pagination
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


class Cursor(pagination.CursorPagination):
    """Newest first, stable while rows are added: a client pages without skipping or repeating."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # DRF answers a mangled cursor with 404; it is bad input, and says so.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({"cursor": [str(exc.detail)]}) from exc


class ConditionalReads:
    """An ETag on every successful read, and 304 when the client already holds that body."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        wanted = parse_etags(request.headers.get("If-None-Match", ""))
        if etag in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            return not_modified
        return response


def exception_handler(exc, context):
    """DRF's handler; Django's 403 keeps the message the access helpers give."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def form_data(request) -> QueryDict:
    """The body as a page's form reads it, whether it came as JSON or as a form.

    JSON numbers, booleans and nulls become the strings a browser would send and a list
    fills a multi-valued field, so the pages' own forms check API calls exactly as they
    check the pages' posts.
    """
    if isinstance(request.data, QueryDict):
        return request.data
    data = QueryDict(mutable=True)
    given = request.data if isinstance(request.data, dict) else {}
    for name, value in given.items():
        values = value if isinstance(value, list) else [value]
        data.setlist(name, ["" if item is None else str(item) for item in values])
    return data


def form_errors(form) -> dict:
    """A form's errors as the API gives every 400: field name to a list of messages."""
    return {
        name: [e["message"] for e in errs] for name, errs in form.errors.get_json_data().items()
    }


def api_path(route: str, view, name: str):
    """A URL for an API view: it answers 401 itself, so the site's sign-in redirect stays out."""
    return path(route, login_not_required(view.as_view()), name=name)


class NoSuchEndpoint(APIView):
    """Any other address under the API: a JSON 404, after authentication like every endpoint."""

    schema = None

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound("No such endpoint.")

    post = put = patch = delete = get
