from django.urls import path

from insights import dashboard_views

app_name = "insights"

urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("you-said-we-did/", dashboard_views.public, name="public"),
]
