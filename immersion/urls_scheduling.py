from django.urls import path

from immersion.views import programmes, sessions

app_name = "immersion"

urlpatterns = [
    path("today/", sessions.today, name="today"),
    path("sessions/", sessions.schedule_list, name="schedule"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/start/", sessions.session_start, name="session-start"),
    path("sessions/<int:pk>/complete/", sessions.session_complete, name="session-complete"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/reopen/", sessions.session_reopen, name="session-reopen"),
    path("calendar/", sessions.calendar_page, name="calendar"),
    path("calendar/new-address/", sessions.calendar_regenerate, name="calendar-regenerate"),
    path("calendar/<str:token>.ics", sessions.calendar_feed, name="calendar-feed"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/new/", programmes.programme_edit, name="programme-create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme-edit"),
    path("session-types/", programmes.session_type_list, name="session-types"),
    path("session-types/new/", programmes.session_type_edit, name="session-type-create"),
    path("session-types/<int:pk>/", programmes.session_type_edit, name="session-type-edit"),
    path("personas/new/", programmes.persona_edit, name="persona-create"),
    path("personas/<int:pk>/", programmes.persona_edit, name="persona-edit"),
]
