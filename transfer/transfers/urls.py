from django.urls import path

from transfer.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.history, name="history"),
    path("new/", views.new, name="new"),
    path("uploads/<uuid:upload_id>/", views.upload, name="upload"),
    path(
        "uploads/<uuid:upload_id>/progress/",
        views.upload_progress_partial,
        name="upload_progress",
    ),
    path("batch/<uuid:batch_id>/", views.batch, name="batch"),
    path("batch/<uuid:batch_id>/start/", views.batch_start, name="batch_start"),
    path("batch/<uuid:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("batch/<uuid:batch_id>/review/", views.batch_review, name="batch_review"),
    path("batch/<uuid:batch_id>/review/<str:action>/", views.batch_bulk, name="batch_bulk"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path(
        "playlists/<str:playlist_id>/duplicates/",
        views.playlist_duplicates,
        name="playlist_duplicates",
    ),
    path("<uuid:job_id>/", views.job, name="job"),
    path("<uuid:job_id>/progress/", views.progress, name="progress"),
    path("<uuid:job_id>/queued/", views.queued, name="queued"),
    path("<uuid:job_id>/start/", views.start, name="start"),
    path("<uuid:job_id>/preview/rename/", views.preview_rename, name="preview_rename"),
    path("<uuid:job_id>/preview/read-again/", views.preview_read_again, name="preview_read_again"),
    path(
        "<uuid:job_id>/tracks/<int:row_id>/include/",
        views.preview_include,
        name="preview_include",
    ),
    path("<uuid:job_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:job_id>/resume/", views.resume, name="resume"),
    path("<uuid:job_id>/rerun/", views.rerun, name="rerun"),
    path("<uuid:job_id>/delete/", views.delete, name="delete"),
    path("<uuid:job_id>/accept-all/", views.accept_all, name="accept_all"),
    path("<uuid:job_id>/skip-not-found/", views.skip_not_found, name="skip_not_found"),
    path("<uuid:job_id>/undo/", views.undo, name="undo"),
    path("<uuid:job_id>/write/", views.write, name="write"),
    path("<uuid:job_id>/export/<str:format_id>/", views.export, name="export"),
    path("<uuid:job_id>/tracks/<int:row_id>/choose/", views.choose, name="choose"),
    path("<uuid:job_id>/tracks/<int:row_id>/skip/", views.skip, name="skip"),
    path("<uuid:job_id>/tracks/<int:row_id>/search/", views.search, name="search"),
]
