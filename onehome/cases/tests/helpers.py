"""Plain helpers shared by the case tests (fixtures live in conftest.py)."""

from django.utils import timezone
from rest_framework.test import APIClient

from onehome.cases.models import Case, PlanGoal
from onehome.conftest import WIANG
from onehome.orgs.models import Organisation


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def report_body(**over) -> dict:
    body = {
        "channel": "hotline",
        "call_type": "new",
        "subdistrict": WIANG,
        "category": "elderly",
        "subcategory": "elderly_bedridden",
        "urgency": "normal",
        "summary": "ยายติดเตียง อยู่คนเดียว",
        "address": "12 หมู่ 1",
        "parties": [
            {"role": "victim", "name": "ยายแก้ว", "age": 82},
            {"role": "alleged_offender", "name": "นายโหด ใจร้าย", "description": "ลูกเขย"},
        ],
    }
    body.update(over)
    return body


def make_goal(case: Case, agency: Organisation, created_by) -> PlanGoal:
    """An open health goal on `case`, due today, written straight to the database."""
    return PlanGoal.objects.create(
        case=case,
        dimension="health",
        goal="g",
        action="a",
        agency=agency,
        due_date=timezone.localdate(),
        created_by=created_by,
    )
