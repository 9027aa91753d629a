"""Case pages (under /cases/) and the public self-report pages (under /report/): one url
module for the app, over the sub-packages' views."""

from django.urls import path

from onehome.cases.assistance import views as assistance_views
from onehome.cases.deadlines import views as deadline_views
from onehome.cases.intake import triage_views
from onehome.cases.intake import views as intake_views
from onehome.cases.lifecycle import views as case_views
from onehome.cases.plans import views as plan_views
from onehome.cases.referrals import views as referral_views
from onehome.cases.visibility import views as glass_views

app_name = "cases"

urlpatterns = [
    path("", case_views.my_work, name="my_work"),
    path("intake/", intake_views.hotline_intake, name="intake"),
    path("intake/earlier/", intake_views.intake_earlier, name="intake_earlier"),
    path("intake/people/", intake_views.intake_people, name="intake_people"),
    path("intake/areas/", intake_views.subdistrict_options, name="subdistrict_options"),
    path("intake/subproblems/", intake_views.subproblem_options, name="subproblem_options"),
    path("dispatch/", triage_views.dispatch_board, name="dispatch"),
    path("reports/<int:pk>/", triage_views.report_detail, name="report"),
    path("reports/<int:pk>/accept/", triage_views.report_accept, name="report_accept"),
    path("reports/<int:pk>/merge/", triage_views.report_merge, name="report_merge"),
    path("reports/<int:pk>/close/", triage_views.report_close, name="report_close"),
    path("referrals/", referral_views.referral_boxes, name="referrals"),
    path("referrals/<int:pk>/<str:step>/", referral_views.referral_step, name="referral_step"),
    path(
        "services/<int:pk>/<str:decision>/", assistance_views.service_decide, name="service_decide"
    ),
    path("stock/", assistance_views.stock_page, name="stock"),
    path("<int:pk>/", case_views.case_detail, name="case"),
    path("<int:pk>/transition/", case_views.case_transition, name="case_transition"),
    path("<int:pk>/close/", case_views.case_close, name="case_close"),
    path("<int:pk>/note/", case_views.case_note, name="case_note"),
    path("<int:pk>/glass/", glass_views.case_glass, name="case_glass"),
    path(
        "<int:pk>/sensitivity/",
        glass_views.case_lower_sensitivity,
        name="case_lower_sensitivity",
    ),
    path("<int:pk>/refer/", referral_views.case_refer, name="case_refer"),
    path("<int:pk>/services/", assistance_views.case_service, name="case_service"),
    path("<int:pk>/assessment/", plan_views.case_assess, name="case_assess"),
    path("<int:pk>/plan/", plan_views.plan_add, name="plan_add"),
    path("<int:pk>/plan/<int:goal_id>/<str:step>/", plan_views.plan_step, name="plan_step"),
    path("<int:pk>/workers/", case_views.case_assign, name="case_assign"),
    path("<int:pk>/workers/remove/", case_views.case_unassign, name="case_unassign"),
    path("<int:pk>/transfer/", case_views.case_transfer, name="case_transfer"),
    path("<int:pk>/pause/", deadline_views.case_pause, name="case_pause"),
    path("<int:pk>/resume/", deadline_views.case_resume, name="case_resume"),
]

public_urlpatterns = [
    path("", intake_views.public_report, name="report"),
    path("track/", intake_views.public_track, name="track"),
    path("areas/", intake_views.subdistrict_options, name="areas"),
    path("subproblems/", intake_views.subproblem_options, name="subproblems"),
]
