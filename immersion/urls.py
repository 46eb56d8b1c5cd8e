from django.contrib import admin
from django.urls import include, path

from immersion import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("", include("immersion.urls_scheduling")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("journal/", include("journal.urls")),
    path("insights/", include("insights.urls")),
]
