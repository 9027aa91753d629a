"""Intake inserts a report without a savepoint of its own: a clash on the tracking code
rolls the whole attempt back and tries again with a fresh code, writing nothing twice."""

import pytest

from onehome.access.models import AuditEvent
from onehome.cases.intake import services as intake
from onehome.cases.models import Party, Report

pytestmark = pytest.mark.django_db


def test_a_taken_tracking_code_is_drawn_again(make_report, monkeypatch):
    first = make_report()
    codes = iter([first.reference, "RFRESH234"])
    monkeypatch.setattr(intake, "new_reference", lambda: next(codes))
    second = make_report(parties=[{"role": "family", "name": "ลูกสาว"}])
    assert second.reference == "RFRESH234"
    assert Report.objects.count() == 2
    assert Party.objects.filter(report=second).count() == 1
    assert AuditEvent.objects.filter(object_type="cases.report").count() == 2
