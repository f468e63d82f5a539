from django.urls import path

from transfer.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("panels/<slug:name>/", views.panel, name="panel"),
]
