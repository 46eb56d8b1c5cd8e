from django.urls import path

from journal import offline, views

app_name = "journal"

urlpatterns = [
    path("", views.observation_list, name="list"),
    path("outbox/", views.outbox, name="outbox"),
    path("offline/state/", offline.offline_state, name="offline-state"),
    path("sessions/<int:session_id>/capture/", views.capture, name="capture"),
    path("observations/<int:pk>/", views.observation_detail, name="observation-detail"),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation-edit"),
    path("observations/<int:pk>/delete/", views.observation_delete, name="observation-delete"),
    path("photos/<uuid:photo_id>/retry/", views.photo_retry, name="photo-retry"),
    path("photos/<uuid:photo_id>/<str:variant>/", views.photo_file, name="photo"),
]
