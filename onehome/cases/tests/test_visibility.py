"""The sensitive-case rule from the outside: who sees a violence case, and when."""

import datetime as dt

from django.utils import timezone

from onehome.cases.models import Referral, ReferralStatus
from onehome.cases.referrals import services as referrals
from onehome.cases.visibility.selectors import visible_cases


def test_a_sensitive_case_is_seen_by_the_agency_it_is_referred_to_until_it_declines(
    make_case, office_supervisor, case_worker, centre
):
    case = make_case(category="violence", subcategory="violence_child")
    assert case.sensitive
    # The centre's worker is in the area but neither assigned nor referred to: not visible.
    assert not visible_cases(case_worker).filter(pk=case.pk).exists()

    referral = referrals.send_referral(
        actor=office_supervisor, case_id=case.pk, to_org_id=centre.pk,
        need="เยี่ยมบ้านและประเมินความปลอดภัยของเด็ก",
        due_at=timezone.localdate() + dt.timedelta(days=3),
    )  # fmt: skip
    assert visible_cases(case_worker).filter(pk=case.pk).exists()

    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.DECLINED)
    assert not visible_cases(case_worker).filter(pk=case.pk).exists()
