from django.contrib import admin

from .models import Agreement, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "kind", "province")
    list_filter = ("kind", "province")
    search_fields = ("code", "name_th", "name_en")
    filter_horizontal = ("serves",)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "signed_on", "valid_until")
    filter_horizontal = ("parties", "provinces")
