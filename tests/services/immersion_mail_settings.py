"""The product's settings with the holding e-mail backend, for one services-test worker."""

from immersion.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.services.immersion_mail.HoldingBackend"
