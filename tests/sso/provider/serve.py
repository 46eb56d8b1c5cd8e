"""python -m tests.sso.provider.serve PORT: the test provider, with the people in claims.json
and one registered client, answering on 127.0.0.1:PORT until killed."""

import json
import os
import sys

import django


def main(port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    people = json.loads((settings.WORKDIR / "claims.json").read_text())
    for username in people:
        User.objects.create_user(username, password=os.environ["PROVIDER_PASSWORD"])
    Application.objects.create(
        name="Immersion tracker",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ["PROVIDER_AFTER_SIGN_OUT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
