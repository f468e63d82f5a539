from django.urls import path

from transfer.connections import views

app_name = "connections"
urlpatterns = [
    path("transfer/", views.transfer_between, name="transfer"),
    path("<str:service>/disconnect/", views.disconnect, name="disconnect"),
]
