from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "transfer.core"
    label = "core"

    def ready(self) -> None:
        # Load the Celery app whenever Django starts (web, worker, beat, manage.py), so that
        # ``shared_task`` binds to it; the pure packages under ``transfer`` never import it.
        from transfer import celery  # noqa: F401
