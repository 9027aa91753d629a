from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetingConfig(AppConfig):
    name = "onehome.targeting"
    label = "targeting"
    verbose_name = _("Targeting")
