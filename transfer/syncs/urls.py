from django.urls import URLPattern

app_name = "syncs"
urlpatterns: list[URLPattern] = []
