"""Development tooling as a Django app: benchmarks and measurement commands.

Enabled only by the development settings (``DEBUG`` on, see ``transfer/settings.py``); the product
never imports it and the production image does not ship it.
"""

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "devtools"
    label = "devtools"
