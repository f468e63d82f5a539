from django.urls import path

from transfer.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("delete/", views.delete_data, name="delete"),
]
