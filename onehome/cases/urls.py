"""Case pages (under /cases/) and the public self-report pages (under /report/)."""

from django.urls import path

from . import case_views, intake_views, referral_views, stock_views, work_views

app_name = "cases"

urlpatterns = [
    path("", case_views.my_work, name="my_work"),
    path("intake/", intake_views.hotline_intake, name="intake"),
    path("intake/earlier/", intake_views.intake_earlier, name="intake_earlier"),
    path("intake/people/", intake_views.intake_people, name="intake_people"),
    path("intake/areas/", intake_views.subdistrict_options, name="subdistrict_options"),
    path("dispatch/", case_views.dispatch_board, name="dispatch"),
    path("reports/<int:pk>/", case_views.report_detail, name="report"),
    path("reports/<int:pk>/accept/", case_views.report_accept, name="report_accept"),
    path("reports/<int:pk>/merge/", case_views.report_merge, name="report_merge"),
    path("reports/<int:pk>/close/", case_views.report_close, name="report_close"),
    path("referrals/", referral_views.referral_boxes, name="referrals"),
    path("referrals/<int:pk>/<str:step>/", referral_views.referral_step, name="referral_step"),
    path("services/<int:pk>/<str:decision>/", case_views.service_decide, name="service_decide"),
    path("notifications/", referral_views.notifications, name="notifications"),
    path("stock/", stock_views.stock_page, name="stock"),
    path("<int:pk>/", case_views.case_detail, name="case"),
    path("<int:pk>/transition/", case_views.case_transition, name="case_transition"),
    path("<int:pk>/note/", case_views.case_note, name="case_note"),
    path("<int:pk>/glass/", case_views.case_glass, name="case_glass"),
    path("<int:pk>/refer/", referral_views.case_refer, name="case_refer"),
    path("<int:pk>/services/", case_views.case_service, name="case_service"),
    path("<int:pk>/assessment/", work_views.case_assess, name="case_assess"),
    path("<int:pk>/plan/", work_views.plan_add, name="plan_add"),
    path("<int:pk>/plan/<int:goal_id>/<str:step>/", work_views.plan_step, name="plan_step"),
    path("<int:pk>/workers/", work_views.case_assign, name="case_assign"),
    path("<int:pk>/workers/remove/", work_views.case_unassign, name="case_unassign"),
    path("<int:pk>/transfer/", work_views.case_transfer, name="case_transfer"),
    path("<int:pk>/pause/", work_views.case_pause, name="case_pause"),
    path("<int:pk>/resume/", work_views.case_resume, name="case_resume"),
]

public_urlpatterns = [
    path("", intake_views.public_report, name="report"),
    path("track/", intake_views.public_track, name="track"),
    path("areas/", intake_views.subdistrict_options, name="areas"),
]
