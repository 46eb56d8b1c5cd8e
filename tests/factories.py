"""factory_boy factories for every model, shared by all test modules."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from immersion.models import (
    ImmersionSession,
    Persona,
    Programme,
    Role,
    SessionType,
    Team,
    Touchpoint,
    User,
)
from insights.models import Action, Theme
from journal.models import Emotion, JourneyStage, Observation, Photo


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Store {n}")
    kind = Team.Kind.STORE
    parent = None


class RegionFactory(TeamFactory):
    name = factory.Sequence(lambda n: f"Region {n}")
    kind = Team.Kind.REGION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)

    role = factory.PostGeneration(lambda user, create, extracted, **kw: add_role(user, extracted))


def add_role(user, role):
    if role:
        # get_or_create: live-server tests empty every table, the groups of the data migration too.
        user.groups.add(Group.objects.get_or_create(name=Role(role).label)[0])


def with_role(default_role):
    """A `role` declaration that grants default_role unless the caller names another."""
    return factory.PostGeneration(
        lambda user, create, extracted, **kw: add_role(user, extracted or default_role)
    )


class ManagerFactory(UserFactory):
    role = with_role(Role.MANAGER)


class CxLeadFactory(UserFactory):
    role = with_role(Role.CX_LEAD)


class AuditorFactory(UserFactory):
    role = with_role(Role.AUDITOR)


class ExecutiveFactory(UserFactory):
    role = with_role(Role.EXECUTIVE)


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Floor walk {n}")
    purpose = "Walk the store as a shopper would."
    prompts = factory.LazyFunction(
        lambda: ["Can you find what you came for?", "Who greets you, and how?"]
    )
    default_duration = dt.timedelta(hours=1)


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Persona {n}")
    description = "A customer we walk as."


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    owner = factory.SubFactory(CxLeadFactory)
    target_sessions = 3


def later_today() -> dt.datetime:
    """An hour from now, or sooner near midnight: a session made for a test stays on Today."""
    now = timezone.now()
    midnight = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(now) + dt.timedelta(days=1), dt.time())
    )
    return min(now + dt.timedelta(hours=1), now + (midnight - now) / 2)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmersionSession

    session_type = factory.SubFactory(SessionTypeFactory)
    team = factory.SubFactory(TeamFactory)
    lead = factory.SubFactory(ManagerFactory)
    place = "Shop floor"
    planned_start = factory.LazyFunction(later_today)
    planned_end = factory.LazyAttribute(lambda s: s.planned_start + dt.timedelta(hours=1))
    brief = "Watch how customers find the fitting rooms."


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    session = factory.SubFactory(SessionFactory)
    author = factory.LazyAttribute(lambda o: o.session.lead)
    touchpoint = Touchpoint.STORE
    journey_stage = JourneyStage.CHOOSE
    what_happened = "The fitting rooms were locked and nobody was around to open them."
    emotion = Emotion.FRUSTRATED
    intensity = 4
    kind = Observation.Kind.PAIN_POINT
    impact = Observation.Impact.MEDIUM


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fix the fitting rooms {n}")
    description = "Keep one fitting room attendant on the floor at all times."
    owner = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    created_by = factory.SubFactory(CxLeadFactory)

    @factory.post_generation
    def observations(self, create, extracted, **kwargs):
        if create and extracted:
            self.observations.set(extracted)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    description = "What customers meet again and again."


def jpeg_bytes(image=None, size=(640, 480), colour="green") -> bytes:
    import io

    from PIL import Image

    image = image if image is not None else Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo stored through the real pipeline: PhotoFactory(image=a_pil_image, ...).

    `observation` makes it a photo of what was seen; without one it is free to be added
    to an action's evidence.
    """

    class Meta:
        model = Photo

    uploaded_by = factory.SubFactory(UserFactory)
    observation = None
    image = None

    @classmethod
    def _create(cls, model_class, *, uploaded_by, observation=None, image=None, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from journal.images import store_photo

        upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(image), content_type="image/jpeg")
        return store_photo(upload, uploaded_by, observation)
