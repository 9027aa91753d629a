"""A bulk confirmation answers "already done" only for its own sub-district: a token of
another area's confirmation does not repeat that confirmation's result (its household
ids) into this one."""

import pytest

from onehome.access import audit
from onehome.access.models import AuditAction
from onehome.errors import ValidationError
from onehome.volunteers.assignments import services
from onehome.volunteers.assignments.bulk import BULK_TYPE
from onehome.volunteers.models import Assignment
from onehome.volunteers.tests import assignments_run
from onehome.volunteers.tests.factories import WIANG

target_list = assignments_run.target_list
wiang_villages = assignments_run.wiang_villages


def test_a_token_of_another_areas_confirmation_is_not_repeated(worker, target_list):
    token = "a" * 64
    audit.record(
        actor=worker, action=AuditAction.CREATE, object_type=BULK_TYPE, object_id=token,
        after={"run": target_list.pk, "households": [987654], "skipped": 0},
        subdistrict_code="100101",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.confirm_bulk_assignment(
            actor=worker, run_id=target_list.pk, subdistrict=WIANG, token=token
        )
    assert refused.value.code == "stale_preview"
    assert Assignment.objects.count() == 0
