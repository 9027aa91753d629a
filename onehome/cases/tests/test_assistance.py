"""Services, cash aid with its approval step, payments and in-kind stock (acceptance 6)."""

import itertools
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from onehome.access.models import AuditEvent, Role
from onehome.cases.assistance import selectors as assistance_selectors
from onehome.cases.assistance import services as assistance
from onehome.cases.assistance import stock
from onehome.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Payment,
    Service,
    ServiceKind,
    ServiceStatus,
    Stock,
    StockItem,
    StockMove,
    Urgency,
)
from onehome.conftest import BANGKOK_SUB, WIANG
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.notifications.models import Notification
from onehome.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.usefixtures("english")

_numbers = itertools.count(1)


@pytest.fixture
def centre(db):
    return Organisation.objects.create(
        code="s-centre", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์เวียง", province_id="57"
    )


@pytest.fixture
def staff(make_user, centre):
    return make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF, organisation=centre)


@pytest.fixture
def boss(make_user, centre):
    return make_user(Role.SUPERVISOR, organisation=centre)


def version_of(service_id: int) -> int:
    """The version a user who opened the case page now would send."""
    return Service.objects.values_list("version", flat=True).get(pk=service_id)


def make_case(owner, *, household=None, status=CaseStatus.ASSESSING):
    return Case.objects.create(
        number=f"S-{next(_numbers):05d}",
        status=status,
        urgency=Urgency.NORMAL,
        category="elderly",
        title="test case",
        subdistrict_id=WIANG,
        owner=owner,
        household=household,
    )


def cash(actor, case, amount):
    return assistance.request_service(
        actor=actor, case_id=case.pk, kind=ServiceKind.CASH_AID, amount=amount
    )


def test_counselling_is_approved_at_once_and_delivery_reports_assistance_on_the_case(staff, centre):
    case = make_case(centre)
    service = assistance.request_service(
        actor=staff, case_id=case.pk, kind=ServiceKind.COUNSELLING, description="Grief"
    )
    assert (service.status, service.approved_by, service.provider) == ("approved", staff, centre)
    delivered = assistance.deliver_service(
        actor=staff, service_id=service.pk, version=version_of(service.pk), note="1 hour"
    )
    assert delivered.status == ServiceStatus.DELIVERED and delivered.delivered_at
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED
    texts = list(CaseEvent.objects.filter(kind=EventKind.SERVICE).values_list("text", flat=True))
    assert texts == ["Counselling requested", "Counselling delivered: 1 hour"]
    assert AuditEvent.objects.filter(object_type="cases.service").count() == 2
    with pytest.raises(ValidationError, match="Delivered; it cannot be changed"):
        assistance.deliver_service(
            actor=staff, service_id=service.pk, version=version_of(service.pk)
        )


def test_cash_aid_at_the_ceiling_is_approved_on_the_requesters_authority(staff, centre):
    service = cash(staff, make_case(centre), "3000")
    assert service.status == ServiceStatus.APPROVED and service.approved_by == staff
    assistance.deliver_service(actor=staff, service_id=service.pk, version=version_of(service.pk))
    payment = Payment.objects.get(service=service)
    assert (payment.amount, payment.paid_by, payment.approved_by) == (Decimal("3000"), staff, staff)
    assert CaseEvent.objects.filter(kind=EventKind.PAYMENT, data__payment=payment.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="cases.payment", object_id=str(payment.pk)
    ).exists()


def test_cash_aid_above_the_ceiling_waits_for_a_supervisor_who_is_recorded_on_the_payment(
    staff, boss, centre
):
    case = make_case(centre)
    service = cash(staff, case, Decimal("3000.01"))
    assert service.status == ServiceStatus.AWAITING_APPROVAL and service.approved_by is None
    assert Notification.objects.filter(user=boss, kind="cash_aid_approval", case=case).exists()
    assert list(assistance_selectors.services_awaiting_approval(user=boss)) == [service]
    assert not assistance_selectors.services_awaiting_approval(user=staff).exists()
    with pytest.raises(ValidationError, match="Awaiting approval; it cannot be changed"):
        assistance.deliver_service(
            actor=staff, service_id=service.pk, version=version_of(service.pk)
        )
    with pytest.raises(ValidationError, match="Only a supervisor or provincial head"):
        assistance.approve_service(
            actor=staff, service_id=service.pk, version=version_of(service.pk)
        )

    assistance.approve_service(
        actor=boss, service_id=service.pk, version=version_of(service.pk), reason="family of five"
    )
    assistance.deliver_service(actor=staff, service_id=service.pk, version=version_of(service.pk))
    payment = Payment.objects.get(service=service)
    assert (payment.paid_by, payment.approved_by) == (staff, boss)
    assert payment.amount == Decimal("3000.01")


def test_the_ceiling_is_a_setting(settings, staff, centre):
    settings.ONEHOME_CASH_AID_CEILING = 5000
    assert cash(staff, make_case(centre), 4000).status == ServiceStatus.APPROVED


def test_the_requester_cannot_approve_their_own_request(boss, centre):
    service = cash(boss, make_case(centre), 5000)
    with pytest.raises(ValidationError, match="other than the requester"):
        assistance.approve_service(
            actor=boss, service_id=service.pk, version=version_of(service.pk)
        )
    assert not assistance_selectors.services_awaiting_approval(user=boss).exists()


def test_a_rejection_needs_a_reason_and_stops_the_payment(staff, boss, centre):
    service = cash(staff, make_case(centre), 8000)
    with pytest.raises(ValidationError, match="reason"):
        assistance.reject_service(
            actor=boss, service_id=service.pk, version=version_of(service.pk), reason=" "
        )
    rejected = assistance.reject_service(
        actor=boss, service_id=service.pk, version=version_of(service.pk), reason="Paid last week"
    )
    assert (rejected.status, rejected.approved_by, rejected.decision_reason) == (
        "rejected",
        boss,
        "Paid last week",
    )
    with pytest.raises(ValidationError, match="Rejected"):
        assistance.deliver_service(
            actor=staff, service_id=service.pk, version=version_of(service.pk)
        )
    assert not Payment.objects.exists()


def test_requests_for_one_family_on_one_day_add_up_towards_the_ceiling(
    staff, centre, make_household
):
    household = make_household()
    first_case, second_case = make_case(centre, household=household), make_case(centre)
    Case.objects.filter(pk=second_case.pk).update(household=household)
    assert cash(staff, first_case, 2000).status == ServiceStatus.APPROVED
    # The same household on another case: 2,000 + 1,500 is above 3,000.
    assert cash(staff, second_case, 1500).status == ServiceStatus.AWAITING_APPROVAL
    # A case without a household is its own family.
    assert cash(staff, make_case(centre), 3000).status == ServiceStatus.APPROVED


def test_a_rejected_request_does_not_count_towards_the_ceiling(staff, boss, centre):
    case = make_case(centre)
    big = cash(staff, case, 9000)
    assistance.reject_service(actor=boss, service_id=big.pk, version=big.version, reason="no")
    assert cash(staff, case, 3000).status == ServiceStatus.APPROVED


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "cash_aid", "amount": None}, "amount in baht"),
        ({"kind": "cash_aid", "amount": "-5"}, "more than 0"),
        ({"kind": "cash_aid", "amount": "abc"}, "amount in baht"),
        ({"kind": "cash_aid", "amount": "NaN"}, "more than 0"),
        ({"kind": "counselling", "amount": 100}, "Only cash aid"),
        ({"kind": "shelter", "quantity": 2}, "Only in-kind aid"),
        ({"kind": "magic"}, "known kind"),
        ({"kind": "in_kind", "quantity": 1}, "item to give"),
    ],
)
def test_a_bad_request_is_refused_and_writes_nothing(staff, centre, kwargs, message):
    case = make_case(centre)
    with pytest.raises(ValidationError, match=message):
        assistance.request_service(actor=staff, case_id=case.pk, **kwargs)
    assert not Service.objects.exists() and not CaseEvent.objects.exists()


def test_outsiders_and_closed_cases_are_refused(outsider, make_user, staff, boss, centre):
    case = make_case(centre)
    for user in (outsider, make_user(Role.INSPECTOR), make_user(Role.ANALYST)):
        with pytest.raises(NotInScopeError):
            cash(user, case, 100)
    service = cash(staff, case, 9000)
    far_boss = make_user(Role.SUPERVISOR, code="10", organisation=centre)
    with pytest.raises(NotInScopeError):
        assistance.approve_service(
            actor=far_boss, service_id=service.pk, version=version_of(service.pk)
        )
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        assistance.approve_service(
            actor=boss, service_id=service.pk, version=version_of(service.pk)
        )


def test_a_recipient_must_be_someone_the_requester_can_see(staff, outsider, centre, make_person):
    case = make_case(centre)
    here = make_person("สมศรี", "มีสุข")
    far = make_person("สมหมาย", "ไกลบ้าน", subdistrict=BANGKOK_SUB, actor=outsider)
    service = assistance.request_service(
        actor=staff, case_id=case.pk, kind=ServiceKind.JOB, recipient_id=here.pk
    )
    assert service.recipient == here
    with pytest.raises(ValidationError, match="recipient"):
        assistance.request_service(
            actor=staff, case_id=case.pk, kind=ServiceKind.JOB, recipient_id=far.pk
        )


def test_in_kind_aid_comes_out_of_the_centres_stock(staff, centre, diapers):
    held = stock.receive_stock(
        actor=staff, organisation_id=centre.pk, item_id=diapers.pk, quantity=10, note="donation"
    )
    assert held.quantity == 10
    case = make_case(centre)
    service = assistance.request_service(
        actor=staff, case_id=case.pk, kind=ServiceKind.IN_KIND, item_id=diapers.pk, quantity=4
    )
    assert Stock.objects.get(pk=held.pk).quantity == 10  # taken when delivered, not asked
    assistance.deliver_service(actor=staff, service_id=service.pk, version=version_of(service.pk))
    assert Stock.objects.get(pk=held.pk).quantity == 6
    moves = list(StockMove.objects.order_by("id").values_list("delta", "service_id"))
    assert moves == [(10, None), (-4, service.pk)]
    with pytest.raises(ValidationError, match="6 ห่อ left, 7 asked for"):
        assistance.request_service(
            actor=staff, case_id=case.pk, kind=ServiceKind.IN_KIND, item_id=diapers.pk, quantity=7
        )
    assert [s.quantity for s in stock.stock_of(organisation_id=centre.pk)] == [6]


def test_two_deliveries_cannot_take_more_than_is_left(staff, centre, diapers):
    stock.receive_stock(actor=staff, organisation_id=centre.pk, item_id=diapers.pk, quantity=6)
    case = make_case(centre)
    first, second = (
        assistance.request_service(
            actor=staff, case_id=case.pk, kind=ServiceKind.IN_KIND, item_id=diapers.pk, quantity=4
        )
        for _ in range(2)
    )
    assistance.deliver_service(actor=staff, service_id=first.pk, version=version_of(first.pk))
    with pytest.raises(ValidationError, match="2 ห่อ left, 4 asked for"):
        assistance.deliver_service(actor=staff, service_id=second.pk, version=version_of(second.pk))
    second.refresh_from_db()
    assert second.status == ServiceStatus.APPROVED
    assert Stock.objects.get().quantity == 2
    assert StockMove.objects.filter(service=second).count() == 0


def test_no_stock_at_all_says_none_left(staff, centre, diapers):
    with pytest.raises(ValidationError, match="0 ห่อ left"):
        assistance.request_service(
            actor=staff,
            case_id=make_case(centre).pk,
            kind=ServiceKind.IN_KIND,
            item_id=diapers.pk,
            quantity=1,
        )


def test_only_a_centres_own_staff_receive_its_stock(make_user, staff, centre, diapers):
    other_centre = Organisation.objects.create(
        code="s-other", kind=OrgKind.FAMILY_CENTRE, name_th="ศพค.อื่น", province_id="57"
    )
    stranger = make_user(Role.CENTRE_STAFF, organisation=other_centre)
    with pytest.raises(NotInScopeError):
        stock.receive_stock(
            actor=stranger, organisation_id=centre.pk, item_id=diapers.pk, quantity=5
        )
    # No organisation at all is not "the same organisation" as an organisation-less target.
    loner = make_user(Role.CENTRE_STAFF)
    with pytest.raises(NotInScopeError):
        stock.receive_stock(actor=loner, organisation_id=None, item_id=diapers.pk, quantity=5)
    for bad in (0, -3, True, "5"):
        with pytest.raises(ValidationError, match="how many"):
            stock.receive_stock(
                actor=staff, organisation_id=centre.pk, item_id=diapers.pk, quantity=bad
            )
    stock.receive_stock(actor=staff, organisation_id=centre.pk, item_id=diapers.pk, quantity=2)
    held = stock.receive_stock(
        actor=staff, organisation_id=centre.pk, item_id=diapers.pk, quantity=3
    )
    assert held.quantity == 5
    assert AuditEvent.objects.filter(object_type="cases.stock").count() == 2


def test_a_hotline_operator_can_record_a_delivery_but_does_not_move_the_case(make_user, centre):
    operator = make_user(Role.HOTLINE_OPERATOR, organisation=centre)
    case = make_case(centre)
    service = assistance.request_service(
        actor=operator, case_id=case.pk, kind=ServiceKind.OTHER_MINISTRY, description="MoPH"
    )
    assistance.deliver_service(
        actor=operator, service_id=service.pk, version=version_of(service.pk)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSING


def test_concurrent_deliveries_never_take_the_stock_below_zero(live_data, make_user):
    """Two workers deliver from the last 5 packs at the same moment, on two cases (so the
    case locks do not line them up): one gets 4 packs, the other is told 1 is left."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    centre = Organisation.objects.create(
        code="s-race", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์", province_id="57"
    )
    item = StockItem.objects.create(code="bag", name_th="ถุงยังชีพ", unit="ถุง")
    staff = make_user(Role.SOCIAL_WORKER, organisation=centre)
    stock.receive_stock(actor=staff, organisation_id=centre.pk, item_id=item.pk, quantity=5)
    services = [
        assistance.request_service(
            actor=staff, case_id=make_case(centre).pk, kind="in_kind", item_id=item.pk, quantity=4
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver(service):
        try:
            translation.activate("en")
            barrier.wait()
            assistance.deliver_service(
                actor=staff, service_id=service.pk, version=version_of(service.pk)
            )
            outcomes.append("delivered")
        except ValidationError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("delivered") == 1
    refused = next(o for o in outcomes if o != "delivered")
    assert "1 ถุง left, 4 asked for" in refused
    assert Stock.objects.get(organisation=centre).quantity == 1
    assert StockMove.objects.filter(delta=-4).count() == 1


def test_a_step_on_a_stale_copy_of_a_service_is_refused_and_changes_nothing(staff, boss, centre):
    service = cash(staff, make_case(centre), 5000)  # above the ceiling: awaiting approval
    assert service.version == 1
    with pytest.raises(StaleVersionError):
        assistance.approve_service(actor=boss, service_id=service.pk, version=None)
    with pytest.raises(StaleVersionError):
        assistance.reject_service(actor=boss, service_id=service.pk, version=0, reason="no")
    service.refresh_from_db()
    assert (service.status, service.version, service.approved_by) == (
        ServiceStatus.AWAITING_APPROVAL,
        1,
        None,
    )
    approved = assistance.approve_service(actor=boss, service_id=service.pk, version=1)
    assert (approved.status, approved.version) == (ServiceStatus.APPROVED, 2)
    with pytest.raises(StaleVersionError):  # the copy loaded before the approval
        assistance.deliver_service(actor=staff, service_id=service.pk, version=1)
    assert not Payment.objects.filter(service=service).exists()
