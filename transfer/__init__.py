"""The Django project: settings, URLs and the product's apps below it.

The Celery app (``transfer/celery.py``) is loaded by ``transfer.core`` when Django starts, not
here, so that importing the pure core (``transfer.formats``, ``transfer.matching``) stays light.
"""
