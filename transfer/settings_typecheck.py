"""Settings for mypy's Django plugin only: the product's apps plus the sandbox's models.

The product and the sandbox run as separate processes with separate settings; the type checker
reads one settings module, so this one lets it see both.
"""

from transfer.settings import *  # noqa: F403
from transfer.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "sandbox"]
