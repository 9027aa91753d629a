from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "onehome.registry"
    label = "registry"
    verbose_name = _("People and households")
