"""An optional read replica (``DATABASE_REPLICA_URL``) for the pages that only read.

The dashboard, the exports and the public page are the heaviest reads and may lag the
primary by a moment, so they read from the replica; everything else, and every write
wherever it comes from, goes to the primary. A view opts in with ``@reads_from_replica``.
A replica that cannot be reached costs nothing but its connection attempt: the page
reads from the primary instead.
"""

import contextvars
import logging
from contextlib import contextmanager
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError

REPLICA = "replica"
logger = logging.getLogger(__name__)
_reading = contextvars.ContextVar("reading_from_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Named outright: Django would otherwise write an instance back to the
        # database it was read from, the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _replica_answers() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except OperationalError as error:
        logger.warning("The read replica cannot be reached (%s); reading from the primary.", error)
        return False
    return True


@contextmanager
def replica_reads():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def _streamed_from_replica(chunks):
    with replica_reads():
        yield from chunks


def reads_from_replica(view):
    """Run the view's reads, and those of a streamed answer, on the replica if there is one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not replica_configured() or not _replica_answers():
            return view(request, *args, **kwargs)
        # Who is signed in is read from the primary, as on every other page: a user
        # just deactivated there must not come back to life from a lagging copy.
        request.user.is_authenticated  # noqa: B018 - loads the lazy user now
        with replica_reads():
            response = view(request, *args, **kwargs)
        if response.streaming:
            response.streaming_content = _streamed_from_replica(response.streaming_content)
        return response

    return wrapper
