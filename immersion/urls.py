from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from immersion import api, languages, sso
from immersion.api_base import NoSuchEndpoint
from immersion.views import site as views
from immersion.views import tokens

# Django's auth URLs, with our own sign-out and reset views in their place.
account_urls = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "sso/start/",
        login_not_required(sso.Authenticate.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "sso/callback/",
        login_not_required(sso.Callback.as_view()),
        name="oidc_authentication_callback",
    ),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # The installable app's service worker and manifest sit at the site's root: a service
    # worker's scope is the folder it is served from.
    path("", include("journal.urls_app")),
    path("", include("immersion.urls_scheduling")),
    path("accounts/", include(account_urls)),
    path("accounts/language/", languages.language_page, name="language"),
    # The public pages' language switch: customers are never signed in, and the public
    # pages carry no CSRF token (they are the same for every visitor). A forged post could
    # only change the visitor's language.
    path("i18n/setlang/", login_not_required(csrf_exempt(set_language)), name="set_language"),
    path("jsi18n/<str:language>/", languages.javascript_catalog, name="javascript-catalog"),
    path("accounts/api-tokens/", tokens.token_list, name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", tokens.revoke, name="api-token-revoke"),
    # Before the admin's own: with password sign-in off its password form is no way round.
    path("admin/login/", views.admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("api/", include(api.schema_urlpatterns)),
    # DRF views skip the site's sign-in redirect; the reference is a page, so it keeps it.
    path("api/docs/", login_required(api.Docs.as_view(url_name="api-schema")), name="api-docs"),
    # Each app's endpoints live in that app; strings, so this module imports none of them.
    path("api/v1/", include("immersion.api")),
    path("api/v1/", include("journal.api")),
    path("api/v1/", include("insights.api")),
    # Last: what no endpoint above matched (a negative id, a typo) answers in JSON too.
    re_path(r"^api/v1/", login_not_required(NoSuchEndpoint.as_view()), name="api-none"),
    path("journal/", include("journal.urls")),
    path("insights/", include("insights.urls")),
]

handler500 = "immersion.views.site.server_error"
