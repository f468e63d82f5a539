from django.urls import path

from transfer.syncs import views

app_name = "syncs"
urlpatterns = [
    path("", views.sync_list, name="list"),
    path("new/", views.sync_new, name="new"),
    path("backups/", views.backup_list, name="backups"),
    path("backups/take/", views.backup_take, name="backup_take"),
    path("backups/<uuid:snapshot_id>/", views.backup_detail, name="backup"),
    path(
        "backups/<uuid:snapshot_id>/restore/<str:playlist_id>/",
        views.backup_restore,
        name="backup_restore",
    ),
    path("<uuid:sync_id>/", views.sync_detail, name="detail"),
    path("<uuid:sync_id>/edit/", views.sync_edit, name="edit"),
    path("<uuid:sync_id>/pause/", views.sync_pause_view, name="pause"),
    path("<uuid:sync_id>/resume/", views.sync_resume_view, name="resume"),
    path("<uuid:sync_id>/run/", views.sync_run_now_view, name="run"),
    path("<uuid:sync_id>/delete/", views.sync_delete_view, name="delete"),
]
