import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Each person's claims are theirs in claims.json, as a directory would hold them."""

    # Every claim goes in the ID token and the userinfo answer, whatever scope asked.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        people = json.loads((settings.WORKDIR / "claims.json").read_text())
        return people[request.user.username]
