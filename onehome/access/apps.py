from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "onehome.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        # Here, not at the top: Django wants signal receivers connected in ready(), once
        # every app is loaded.
        from onehome.core.compiled.prepared import use_for

        connection_created.connect(use_for, dispatch_uid="onehome.core.compiled.prepared")
        # Receivers connected by importing their modules: the audit rows of signing in, and
        # of every change to users and API tokens (`user_changes`: it names knox's model).
        from onehome.access import user_changes  # noqa: F401
        from onehome.access.signin import events  # noqa: F401
