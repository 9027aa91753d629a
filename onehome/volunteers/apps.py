from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "onehome.volunteers"
    verbose_name = _("Volunteers and household development")

    def ready(self) -> None:
        # Receivers of other apps' signals: a help request's report accepted into a case
        # becomes a service (visits/receivers.py).
        from onehome.volunteers.visits import receivers  # noqa: F401
