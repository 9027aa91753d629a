from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "onehome.api"
    label = "api"
    verbose_name = "API"
