"""Staff administration of users and their API tokens. People and households are
deliberately NOT registered in the admin: every read of personal data goes through the
scoped pages and API.

Every change made here (roles, area, organisation, flags, password; a token revoked) is
audited and its user told by the receivers in `onehome/access/user_changes.py`, as from any
other path. The token admin never shows a token or its digest: a token is named by its
owner and its prefix, and is revoked by those (Django's own delete pages would name the row
by its key, the digest).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import AuthToken
from knox.settings import CONSTANTS

from onehome.geo.selectors import area_of_level

from .models import ScopeLevel, User
from .roles import role_labels
from .tokens import services as tokens

GONE = _("That token does not exist any more (revoked or expired). Nothing was changed.")


@admin.register(User)
class OneHomeUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("OneHome", {"fields": ("organisation", "roles", "scope_level", "scope_code")}),
        (_("API tokens"), {"fields": ("api_tokens",)}),
    )
    readonly_fields = ("api_tokens",)
    # Roles and the area by their names, not as stored ("social_worker", "57").
    list_display = ("username", "first_name", "last_name", "role_names", "area", "is_active")
    list_filter = ("scope_level", "is_active", "is_staff")
    actions = ["revoke_api_tokens"]

    @admin.display(description=_("roles"))
    def role_names(self, obj: User) -> str:
        return ", ".join(role_labels(obj)) or "–"

    @admin.display(description=_("area of work"), ordering="scope_code")
    def area(self, obj: User) -> str:
        if obj.scope_level == ScopeLevel.NATION:
            return str(_("Whole country"))
        if obj.scope_level not in ScopeLevel.values:
            return "–"
        found = area_of_level(obj.scope_level, obj.scope_code)
        name = str(found) if found else obj.scope_code
        return f"{ScopeLevel(obj.scope_level).label} {name}"

    @admin.display(description=_("API tokens"))
    def api_tokens(self, obj: User) -> str:
        if obj.pk is None:
            return "–"
        count = AuthToken.objects.filter(user=obj).count()
        url = (
            reverse("admin:knox_authtoken_changelist")
            + "?"
            + urlencode({"user__id__exact": obj.pk})
        )
        text = ngettext("%(n)d token", "%(n)d tokens", count) % {"n": count}
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.action(description=_("Revoke all API tokens of the selected users"))
    def revoke_api_tokens(self, request, queryset):
        if not request.user.has_perm("knox.delete_authtoken"):
            raise PermissionDenied
        revoked = sum(len(tokens.revoke_all(user=user)) for user in queryset)
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", revoked) % {"n": revoked},
            messages.SUCCESS,
        )


if admin.site.is_registered(AuthToken):  # knox's own admin lists digests
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created", "expiry", "revoke")
    list_display_links = None
    list_select_related = ("user",)
    list_filter = ("created", "expiry")
    search_fields = ("user__username",)
    ordering = ("-created",)
    actions = None

    # Tokens are issued by signing in (POST /api/token/), never here; they are never edited;
    # they are revoked by the page below, not by Django's delete pages (which show the key).
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied  # its address and title are the digest

    def history_view(self, request, object_id, extra_context=None):
        raise PermissionDenied  # likewise

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        return lookup == "user__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("prefix"))
    def prefix(self, obj: AuthToken) -> str:
        return f"{obj.token_key}…"

    @admin.display(description=_("revoke"))
    def revoke(self, obj: AuthToken) -> str:
        url = reverse("admin:knox_authtoken_revoke", args=[obj.user_id, obj.token_key])
        return format_html('<a href="{}">{}</a>', url, _("Revoke…"))

    def get_urls(self):
        revoke = path(
            "revoke/<int:user_id>/<str:prefix>/",
            self.admin_site.admin_view(self.revoke_view),
            name="knox_authtoken_revoke",
        )
        return [revoke, *super().get_urls()]

    def revoke_view(self, request, user_id: int, prefix: str):
        if not request.user.has_perm("knox.delete_authtoken"):
            raise PermissionDenied
        prefix = prefix[: CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH]
        owner = User.objects.filter(pk=user_id).first()
        if owner is None:
            raise Http404
        changelist = reverse("admin:knox_authtoken_changelist")
        if request.method == "POST":
            if tokens.revoke(user=owner, prefix=prefix):
                self.message_user(
                    request,
                    _("Token %(prefix)s… of %(user)s revoked.")
                    % {"prefix": prefix, "user": owner.get_username()},
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, GONE, messages.ERROR)
            return redirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke an API token"),
            "opts": self.model._meta,
            "owner": owner,
            "prefix": prefix,
            "changelist": changelist,
        }
        return TemplateResponse(request, "admin/knox/authtoken/revoke.html", context)
