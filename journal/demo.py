"""Demo observations: what managers saw in the demo quarter's sessions, some with photos.

Observations are keyed by a client UUID made from the session and their place in it,
so running the seed again finds them and adds nothing.
"""

import datetime as dt
import io
import random
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from immersion.demo import BRIEFS, PLACES, PLACES_BY_MANAGER, REFLECTIONS, TYPES_BY_TEAM
from immersion.models import ImmersionSession, Persona, SessionEvent, SessionType, Team, User
from journal import images
from journal.demo_moments import CONTACT_CENTRE, IN_STORE
from journal.models import Observation

DEMO_NAMESPACE = uuid.UUID("5b0f3a52-4c36-4d0e-9a57-8f0a4a0d6e11")
PHOTO_EVERY = 7  # one observation in seven comes with a photo
EARLIER_SESSIONS_EACH = 6  # completed walks per manager before this quarter
# The earlier walks end before the 13 weeks the dashboard opens on, so the quarter's
# figures (participation above all) are the programme's own.
EARLIER_THAN_DAYS = 101
EARLIER_EVERY_DAYS = 14
SCENE_COLOURS = [(214, 222, 230), (236, 228, 214), (222, 236, 224), (240, 232, 240)]


def seed(out, rng) -> None:
    earlier = seed_earlier_sessions()
    sessions = (
        ImmersionSession.objects.filter(
            Q(status=ImmersionSession.Status.COMPLETED)
            | Q(status=ImmersionSession.Status.IN_PROGRESS)
        )
        .select_related("team", "lead", "session_type")
        .prefetch_related("companions")
        .order_by("planned_start", "pk")
    )
    created = photos = 0
    for session in sessions:
        made, with_photos = seed_session(session, earlier.get(session.pk))
        created += made
        photos += with_photos
    if created:
        out.write(f"Journal: {created} observations, {photos} of them with a photo.")


def seed_session(session, key: str | None) -> tuple[int, int]:
    # Each session draws from its own generator, so a second run makes the same choices
    # whatever else the demo did first, and finds every observation already there.
    key = key or f"session/{session.pk}"
    local = random.Random(key)  # noqa: S311 - demo data
    bank = CONTACT_CENTRE if session.team.kind == Team.Kind.CONTACT_CENTRE else IN_STORE
    authors = [session.lead, *session.companions.all()]
    in_progress = session.status == ImmersionSession.Status.IN_PROGRESS
    count = 3 if in_progress else local.randint(8, 16)
    start = session.started_at
    end = session.ended_at or timezone.now()
    made = photos = 0
    chosen = _pick(bank, session.session_type.suggested_touchpoints, count, local)
    count = len(chosen)
    for index, entry in enumerate(chosen):
        client_uuid = uuid.uuid5(DEMO_NAMESPACE, f"{key}/{index}")
        author = local.choice(authors)
        at = start + (end - start) * ((index + 1) / (count + 1))
        if Observation.objects.filter(client_uuid=client_uuid).exists():
            continue
        with_photo = local.randrange(PHOTO_EVERY) == 0
        photos += _create(entry, session, author, client_uuid, at, with_photo, local)
        made += 1
    return made, photos


def _pick(bank, suggested, count: int, local) -> list:
    """Moments that fit the session: its type's touchpoints first, none twice."""
    fitting = [entry for entry in bank if entry[0] in suggested]
    others = [entry for entry in bank if entry[0] not in suggested]
    first = local.sample(fitting, min(len(fitting), count))
    rest = local.sample(others, min(len(others), count - len(first)))
    chosen = first + rest
    local.shuffle(chosen)
    return chosen


def seed_earlier_sessions() -> dict[int, str]:
    """Completed walks from the months before this quarter, so the journal has a history.

    Returns their ids with the key their observations are made under; a session whose
    first observation exists was made by an earlier run and is not made again.
    """
    today = timezone.localdate()
    types = {t.name: t for t in SessionType.objects.all()}
    personas = list(Persona.objects.order_by("name"))
    managers = {u.username: u for u in User.objects.filter(username__in=PLACES_BY_MANAGER)}
    keys = {}
    for username, team_name in PLACES_BY_MANAGER.items():
        lead = managers.get(username)
        team = Team.objects.filter(name=team_name).first()
        if lead is None or team is None:
            continue
        for number in range(EARLIER_SESSIONS_EACH):
            key = f"earlier/{username}/{number}"
            first = Observation.objects.filter(
                client_uuid=uuid.uuid5(DEMO_NAMESPACE, f"{key}/0")
            ).first()
            if first is not None:
                keys[first.session_id] = key
                continue
            local = random.Random(key)  # noqa: S311 - demo data
            session_type = types[local.choice(TYPES_BY_TEAM[team_name])]
            day = today - dt.timedelta(
                days=EARLIER_THAN_DAYS + number * EARLIER_EVERY_DAYS + local.randint(0, 6)
            )
            start = dt.datetime.combine(
                day, dt.time(local.choice([9, 10, 14])), tzinfo=timezone.get_current_timezone()
            )
            end = start + session_type.default_duration
            surprised, feeling, change = local.choice(REFLECTIONS)
            session = ImmersionSession.objects.create(
                session_type=session_type,
                persona=local.choice([None, *personas]),
                team=team,
                place=local.choice(PLACES[team_name]),
                planned_start=start,
                planned_end=end,
                lead=lead,
                brief=local.choice(BRIEFS),
                status=ImmersionSession.Status.COMPLETED,
                started_at=start,
                ended_at=end,
                surprised_by=surprised,
                customer_feeling=feeling,
                would_change=change,
            )
            Status = ImmersionSession.Status
            SessionEvent.objects.bulk_create(
                [
                    SessionEvent(
                        session=session,
                        actor=lead,
                        at=start,
                        from_status=Status.PLANNED,
                        to_status=Status.IN_PROGRESS,
                    ),
                    SessionEvent(
                        session=session,
                        actor=lead,
                        at=end,
                        from_status=Status.IN_PROGRESS,
                        to_status=Status.COMPLETED,
                    ),
                ]
            )
            keys[session.pk] = key
    return keys


def _create(entry, session, author, client_uuid, at, with_photo: bool, rng) -> int:
    touchpoint, stage, feeling, intensity, kind, impact, text, quote = entry
    prepared = []
    if with_photo:
        upload = SimpleUploadedFile("IMG_demo.jpg", _scene(text, rng), content_type="image/jpeg")
        prepared = [images.prepare(upload)]
    with images.photo_transaction() as batch:
        observation = Observation.objects.create(
            client_uuid=client_uuid,
            session=session,
            author=author,
            touchpoint=touchpoint,
            journey_stage=stage,
            emotion=feeling,
            intensity=max(1, min(5, intensity + rng.choice((-1, 0, 0, 1)))),
            kind=kind,
            impact=impact,
            what_happened=text,
            quote=quote,
        )
        # created_at is stamped on insert; the demo places it inside the session.
        Observation.objects.filter(pk=observation.pk).update(created_at=at, updated_at=at)
        for item in prepared:
            batch.save(item, author, observation)
    return len(prepared)


def _scene(caption: str, rng) -> bytes:
    """A drawn stand-in for a phone photo: shelving, a sign and the moment's caption."""
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), rng.choice(SCENE_COLOURS))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 3 // 4, width, height), fill=(150, 140, 130))
    for shelf in range(3):
        top = 260 + shelf * 220
        draw.rectangle((120, top, width - 120, top + 24), fill=(90, 80, 70))
        x = 140
        while x < width - 200:
            box = rng.randint(60, 150)
            colour = tuple(rng.randint(40, 220) for _ in range(3))
            draw.rectangle((x, top - box, x + box, top), fill=colour, outline=(30, 30, 30))
            x += box + rng.randint(8, 30)
    draw.rectangle((480, 40, 1120, 160), fill=(11, 79, 108))
    draw.text((520, 70), caption[:48], fill=(255, 255, 255), font_size=36)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
