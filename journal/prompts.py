"""Questions other apps put on the capture page, answered by the observation logged there.

The journal knows nothing of what asks: an app registers a provider in its ``ready``.
The answer rides along the capture form as one more field, so it travels through the
phone's outbox and the client UUID's replay like every other field, and the provider
links it inside the transaction that stores the observation (all of it, or nothing).
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Prompt:
    """One question on the capture page; ``key`` is what the form posts back to answer it."""

    key: str
    before_feeling: str
    touchpoint: str
    touchpoint_label: str


class PromptRefused(Exception):
    """The posted answer cannot be taken; the message is for people."""


class PromptProvider(Protocol):
    field: str

    def prompts(self, session, user) -> list[Prompt]: ...

    def check(self, session, user, key: str, client_uuid) -> Prompt:
        """The prompt ``key`` names, if this user may answer it in this session; else raise."""

    def attach(self, observation, prompt: Prompt) -> None:
        """Link the stored answer; runs inside the observation's transaction."""


_providers: list[PromptProvider] = []


def register(provider: PromptProvider) -> None:
    if all(existing.field != provider.field for existing in _providers):
        _providers.append(provider)


def providers() -> list[PromptProvider]:
    return list(_providers)
