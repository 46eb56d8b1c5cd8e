"""Recording an observation with its photos: all of it, once, or nothing."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from journal.images import photo_transaction
from journal.models import Observation, is_open_for_observations


class SessionClosed(Exception):
    """The session is not in progress and its window for late observations has passed."""


class ClientUuidTaken(Exception):
    """The client's UUID belongs to another author's or another session's observation."""


def replayed(session, author, client_uuid) -> Observation | None:
    """The observation a retried post already stored, if this is a retry."""
    # The UUID is unique: ``get`` asks for it without the list's sort that ``first`` adds.
    try:
        existing = Observation.objects.get(client_uuid=client_uuid)
    except Observation.DoesNotExist:
        return None
    if existing.author_id != author.pk or existing.session_id != session.pk:
        raise ClientUuidTaken(client_uuid)
    return existing


def record_observation(
    session, author, fields: dict, photos, on_create=None
) -> tuple[Observation, bool]:
    """Store an observation and its prepared photos; returns (observation, created).

    A second post with the same client UUID, even one racing the first, returns the
    observation the first stored and stores nothing more. ``on_create`` runs inside the
    transaction with the new observation; what it raises undoes the whole of it.

    While the session is open, a retry is not looked for beforehand: the unique client
    UUID refuses its insert, before any photo is written, and only then is the first
    one read. A new observation, nearly every post, so saves a query.
    """
    if not session.is_participant(author):
        raise PermissionDenied("Only the session's participants may add observations.")
    client_uuid = fields["client_uuid"]
    if not is_open_for_observations(session):
        # A phone resending what was stored before the session closed gets its confirmation.
        existing = replayed(session, author, client_uuid)
        if existing is not None:
            return existing, False
        raise SessionClosed()
    try:
        with photo_transaction() as batch:
            observation = Observation.objects.create(session=session, author=author, **fields)
            for prepared in photos:
                batch.save(prepared, author, observation)
            if on_create is not None:
                on_create(observation)
    except IntegrityError:
        existing = replayed(session, author, client_uuid)
        if existing is None:
            raise
        return existing, False
    return observation, True
