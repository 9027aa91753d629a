"""Stock of in-kind aid per centre (relief bags, adult diapers…), changed only by moves.

Every change is a `StockMove` next to a conditional UPDATE of `Stock.quantity`: taking
items re-checks the quantity in the UPDATE's WHERE under the row lock, so two deliveries at
the same moment are applied one after the other and the second is refused with how many
are left — never a negative stock (the table's check constraint is the last guard).
"""

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.cases.models import Service, Stock, StockItem, StockMove
from onehome.cases.visibility.selectors import can_work_on
from onehome.errors import NotInScopeError, ValidationError
from onehome.orgs.models import Organisation


def available(organisation_id: int, item_id: int) -> int:
    stock = Stock.objects.filter(organisation_id=organisation_id, item_id=item_id)
    return stock.values_list("quantity", flat=True).first() or 0


def not_enough(item: StockItem, provider: Organisation, left: int, wanted: int) -> ValidationError:
    return ValidationError(
        _("Not enough %(item)s at %(org)s: %(left)d %(unit)s left, %(wanted)d asked for.")
        % {
            "item": item.name_th,
            "org": provider.name_th,
            "left": left,
            "unit": item.unit,
            "wanted": wanted,
        }
    )


def take_for(actor: User, service: Service) -> StockMove:
    """Take an in-kind service's items from its provider's stock (inside the caller's
    transaction); refuses, changing nothing, when not enough are left."""
    wanted = service.quantity or 0
    stock = Stock.objects.filter(organisation_id=service.provider_id, item_id=service.item_id)
    if not stock.filter(quantity__gte=wanted).update(quantity=F("quantity") - wanted):
        left = available(service.provider_id, service.item_id)
        raise not_enough(service.item, service.provider, left, wanted)
    return StockMove.objects.create(
        stock=stock.get(), delta=-wanted, service=service, by=actor, note=service.case.number
    )


@transaction.atomic
def receive_stock(
    *, actor: User, organisation_id: int, item_id: int, quantity: int, note: str = ""
) -> Stock:
    """Add items received (a delivery, a donation) to a centre's stock. Staff of that
    centre only: a centre answers for what it holds."""
    if (
        not can_work_on(actor)
        or not actor.organisation_id
        or actor.organisation_id != organisation_id
    ):
        raise NotInScopeError
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationError(_("Enter how many were received (1 or more)."))
    if not StockItem.objects.filter(pk=item_id).exists():
        raise ValidationError(_("Choose a known item."))
    try:
        with transaction.atomic():
            stock, _created = Stock.objects.get_or_create(
                organisation_id=organisation_id, item_id=item_id
            )
    except IntegrityError:  # created at the same moment by another receipt
        stock = Stock.objects.get(organisation_id=organisation_id, item_id=item_id)
    stock = Stock.objects.select_for_update().get(pk=stock.pk)
    before = {"quantity": stock.quantity}
    Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
    stock.refresh_from_db()
    StockMove.objects.create(stock=stock, delta=quantity, by=actor, note=(note or "")[:200])
    location = Organisation.objects.filter(pk=organisation_id).values_list("location_id", flat=True)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=stock,
        before=before,
        after={"quantity": stock.quantity, "received": quantity},
        purpose=note,
        subdistrict_code=location.first() or "",
    )
    return stock


def stock_of(*, organisation_id: int) -> QuerySet[Stock]:
    """What a centre holds (no personal data)."""
    return Stock.objects.filter(organisation_id=organisation_id).select_related("item")
