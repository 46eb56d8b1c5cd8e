"""Teams as a tree, the people in them and the roles they hold."""

import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q


class Role(models.TextChoices):
    """A user's role; each is a Django group of the same label."""

    MANAGER = "manager", "Manager"
    CX_LEAD = "cx_lead", "CX lead"
    EXECUTIVE = "executive", "Executive"
    # Independent of the organisation: reads what an audit needs, changes nothing else.
    AUDITOR = "auditor", "Auditor"


class TeamQuerySet(models.QuerySet):
    def subtree_of(self, teams):
        """The given teams and every team below them."""
        paths = [team.path for team in teams]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


class Team(models.Model):
    """A store, branch, contact centre or department, optionally inside a region."""

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        STORE = "store", "Store"
        BRANCH = "branch", "Branch"
        CONTACT_CENTRE = "contact_centre", "Contact centre"
        DEPARTMENT = "department", "Department"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STORE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("/3/17/"): "a team with its sub-teams"
    # becomes one indexed prefix match instead of a recursive walk.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="team_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Team.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Team.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Team.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class UserQuerySet(models.QuerySet):
    def with_role(self, role: "Role"):
        return self.filter(groups__name=Role(role).label)

    def in_teams(self, team_ids):
        """Members of any of the given teams, each once."""
        return self.filter(
            Exists(User.teams.through.objects.filter(user_id=OuterRef("pk"), team_id__in=team_ids))
        )


class TeamMemberManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """Anyone who signs in: managers, CX leads, executives and action owners."""

    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    reminder_emails = models.BooleanField(
        default=True,
        help_text="Reminders and overdue notices. Assignment e-mails are always sent.",
    )
    # Executives opt in; nobody gets a PDF every month without asking for it.
    board_pack_emails = models.BooleanField(
        default=False, help_text="The monthly board pack, as a PDF, on the first of the month."
    )

    language = models.CharField(
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="Blank: the language the browser asks for.",
    )

    objects = TeamMemberManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        labels = {label: role for role, label in Role.choices}
        return frozenset(
            labels[name] for name in self.groups.values_list("name", flat=True) if name in labels
        )

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.roles

    @property
    def is_cx_lead(self) -> bool:
        return Role.CX_LEAD in self.roles

    @property
    def is_executive(self) -> bool:
        return Role.EXECUTIVE in self.roles

    @property
    def is_auditor(self) -> bool:
        return Role.AUDITOR in self.roles

    @property
    def primary_role(self) -> Role | None:
        for role in (Role.CX_LEAD, Role.EXECUTIVE, Role.MANAGER, Role.AUDITOR):
            if role in self.roles:
                return role
        return None

    @cached_property
    def scope_team_ids(self) -> frozenset[int]:
        """The user's teams and all teams below them: what their role reaches."""
        own = list(self.teams.all())
        return frozenset(Team.objects.subtree_of(own).values_list("pk", flat=True))

    def regenerate_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
