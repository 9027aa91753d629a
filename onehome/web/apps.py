from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "onehome.web"
    label = "web"
    verbose_name = "Web pages"
