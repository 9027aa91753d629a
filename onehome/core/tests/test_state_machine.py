"""The five workflows on the one helper: their tables name real statuses and role-table
actions, their models carry a version, and the buttons a role is offered are the steps the
role table grants it. (Each workflow's behaviour — refusals, records, messages — is tested
in its own app: test_lifecycle, test_referrals, test_assistance, test_assessments,
test_triage.)"""

import pytest

from onehome.access.models import User
from onehome.access.roles import ROLE_TABLE, Action, Role
from onehome.cases.workflows import WORKFLOWS
from onehome.core.state_machine import Move, Workflow, check_version
from onehome.errors import StaleVersionError


def test_case_referral_service_goal_and_report_run_on_the_helper():
    assert {model.__name__ for model in WORKFLOWS} == {
        "Case",
        "Referral",
        "Service",
        "PlanGoal",
        "Report",
    }
    for model, workflow in WORKFLOWS.items():
        assert isinstance(workflow, Workflow) and workflow.model is model


@pytest.mark.parametrize("model", list(WORKFLOWS), ids=lambda m: m.__name__)
def test_a_table_names_real_statuses_and_role_table_actions(model):
    workflow = WORKFLOWS[model]
    statuses = {value for value, _label in model._meta.get_field("status").choices}
    for (from_status, to_status), step in workflow.steps.items():
        assert {from_status, to_status} <= statuses, (from_status, to_status)
        assert step.permission in ROLE_TABLE
        assert str(step.label) and step.action
    # Every workflow checks a version, so its model must carry one.
    assert model._meta.get_field("version").default == 1


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("model", list(WORKFLOWS), ids=lambda m: m.__name__)
def test_the_steps_offered_to_a_role_are_those_the_role_table_grants(model, role):
    workflow = WORKFLOWS[model]
    user = User(username="u", roles=[role], is_active=True)
    for from_status in {pair[0] for pair in workflow.steps}:
        record = model(status=from_status)
        if hasattr(record, "status_before_closure"):  # a refused closure goes back there
            record.status_before_closure = "assessing"
        offered = {(move.to_status, move.action) for move in workflow.moves_by_role(record, user)}
        granted = {
            (to_status, step.action)
            for (start, to_status), step in workflow.steps.items()
            if start == from_status
            and role in ROLE_TABLE[step.permission]
            and workflow.applies(record, to_status, step)
        }
        assert offered == granted


def test_a_move_reads_as_a_pair_and_by_name():
    from onehome.cases.lifecycle.transitions import TRANSITIONS

    step = TRANSITIONS[("waiting", "assessing")]
    move = Move("assessing", step)
    to_status, same = move
    assert (to_status, same, move.action, move.label) == (
        "assessing",
        step,
        "accept",
        str(step.label),
    )
    assert step.permission is Action.MOVE_CASES


@pytest.mark.parametrize("given", [None, "", "x", 0, 2, "2"])
def test_a_version_other_than_the_records_is_stale(given):
    class Row:
        version = 1

    with pytest.raises(StaleVersionError):
        check_version(Row(), given)
    check_version(Row(), "1")
