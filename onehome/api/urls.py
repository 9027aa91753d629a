"""The REST API: one router over the apps' viewsets, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from onehome.access.api import AuditEventViewSet
from onehome.access.policy import NO_PERSONAL_DATA
from onehome.access.tokens import api as tokens
from onehome.cases.assistance import api as assistance
from onehome.cases.intake import api as intake
from onehome.cases.lifecycle import api as cases
from onehome.cases.referrals import api as referrals
from onehome.geo import api as geo
from onehome.notifications import api as notifications
from onehome.orgs import api as orgs
from onehome.registry import api as registry
from onehome.targeting import api as targeting


class _RootView(APIRootView):
    access_policy = NO_PERSONAL_DATA


class Router(DefaultRouter):
    APIRootView = _RootView


router = Router()
# The busiest first: Django tries the patterns in order (each viewset adds four to a dozen).
router.register("cases", cases.CaseViewSet, basename="case")
router.register("reports", intake.ReportViewSet, basename="report")
router.register("regions", geo.RegionViewSet, basename="region")
router.register("provinces", geo.ProvinceViewSet, basename="province")
router.register("districts", geo.DistrictViewSet, basename="district")
router.register("subdistricts", geo.SubdistrictViewSet, basename="subdistrict")
router.register("villages", geo.VillageViewSet, basename="village")
router.register("people", registry.PersonViewSet, basename="person")
router.register("households", registry.HouseholdViewSet, basename="household")
router.register("merges", registry.MergeViewSet, basename="merge")
router.register("organisations", orgs.OrganisationViewSet, basename="organisation")
router.register("agreements", orgs.AgreementViewSet, basename="agreement")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("targeting/rounds", targeting.SurveyRoundViewSet, basename="surveyround")
router.register("targeting/welfare-lists", targeting.WelfareCardListViewSet, basename="welfarelist")
router.register("targeting/runs", targeting.RunViewSet, basename="targetingrun")
router.register(
    "targeting/households", targeting.TargetHouseholdViewSet, basename="targethousehold"
)
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("services", assistance.ServiceViewSet, basename="service")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("stock", assistance.StockViewSet, basename="stock")


class SchemaView(SpectacularAPIView):
    access_policy = NO_PERSONAL_DATA


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from this address (`?script`), not
    inline: the Content-Security-Policy allows no inline script without a nonce."""

    access_policy = NO_PERSONAL_DATA


urlpatterns = [
    path("", include(router.urls)),
    path("volunteers/", include("onehome.volunteers.api_urls")),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    # API tokens (onehome/access/tokens): sign in for one, revoke it, revoke them all.
    path("token/", tokens.TokenView.as_view(), name="api-token"),
    path("token/logout/", tokens.TokenLogoutView.as_view(), name="api-token-logout"),
    path("token/logout-all/", tokens.TokenLogoutAllView.as_view(), name="api-token-logout-all"),
]
