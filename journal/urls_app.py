"""The installable app's files, served at the site's root (included without a namespace)."""

from django.urls import path

from journal import offline

urlpatterns = [
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
