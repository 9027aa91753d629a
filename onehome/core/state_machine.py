"""One small helper for every record that moves through statuses: a case, a referral, a
service, a plan goal, a report — and the fund's and quality checks' workflows to come.

A workflow is a table of allowed moves, ``{(from_status, to_status): Step}``, and one
`Workflow.transition()` that, inside one transaction:

1. locks the row (`lock`, which also answers 404 for a record the user may not see),
2. checks the version the user loaded (`check_version`: a stale copy is refused),
3. checks the move is in the table (`refuse_move` names both statuses otherwise),
4. checks the user's role may take the step (the role table, `access.roles`) and any
   rule of the workflow's own (`may_on`), and that a required reason is given,
5. writes the new status, the step's changes and a new version,
6. records who, when and why (`record`: the audit log, and the case's timeline where the
   workflow has one), and
7. sends the workflow's `moved` signal (receivers write in the same transaction, so a
   refusal downstream undoes the move).

A step that writes more than its own row before it is recorded (a report accepted into a
new case, in-kind aid taken from stock) calls `prepare` (steps 1-4), writes, then
`complete` (5-7), in one transaction. Pages and the API ask `allowed_next(obj, user)` for
the buttons to show instead of comparing status strings. A workflow subclass supplies
the table, how to lock and authorise its row, its messages and what a step changes
besides the status; everything else is here once.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, NoReturn, TypeVar

from django.db import models, transaction
from django.dispatch import Signal
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.errors import StaleVersionError, ValidationError

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Step:
    """One allowed move: the verb recorded for it, its button label, the role-table action
    whose roles may take it, and whether it needs a stated reason."""

    action: str
    label: Promise
    permission: Action
    reason_required: bool = False
    # Shown instead of "you may not…" to someone involved who lacks the role.
    refusal: Promise | None = None


class Move(NamedTuple):
    """A step the user may take now, as pages and the API show it."""

    to_status: str
    step: Step

    @property
    def action(self) -> str:
        return self.step.action

    @property
    def label(self) -> str:
        return str(self.step.label)


def check_version(obj: models.Model, version: int | None) -> None:
    """Refuse a write based on an old copy (the caller sends the version it loaded)."""
    try:
        given = int(version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        given = None
    if given != obj.version:  # type: ignore[attr-defined]
        raise StaleVersionError(current_version=obj.version, given_version=version)  # type: ignore[attr-defined]


class Workflow(Generic[M]):
    """The moves of one model's status field. Subclass it once per model; see the module
    docstring for what `transition` does and in which order."""

    model: type[M]
    steps: ClassVar[Mapping[tuple[str, str], Step]]
    status_field: ClassVar[str] = "status"
    # Fields written by every move (the status, the version, and what `changes` names).
    audited_fields: ClassVar[list[str] | None] = None
    moved: Signal

    # --- what a subclass supplies -----------------------------------------------------

    def lock(self, actor: User, pk: int) -> M:
        """The row locked for update, or `NotInScopeError` when the actor may not see it."""
        raise NotImplementedError

    def status_label(self, status: str) -> str:
        field = self.model._meta.get_field(self.status_field)
        return str(dict(field.choices or ()).get(status, status))

    def refuse_move(self, obj: M, to_status: str) -> NoReturn:
        raise ValidationError(
            _("This record is “%(current)s”; it cannot be changed to “%(requested)s”.")
            % {
                "current": self.status_label(self.status_of(obj)),
                "requested": self.status_label(to_status),
            },
            code="transition",
        )

    def may_on(self, user: User, obj: M, step: Step) -> bool:
        """The workflow's own rule beyond the role table: whether this user may take the
        step on this record (their agency works on the case, it is not their own request…).
        Asked only of users whose role may take the step."""
        return True

    def may(self, user: User, obj: M, step: Step) -> bool:
        """The role table's answer for the step, then the workflow's own rule."""
        return may(user, step.permission) and self.may_on(user, obj, step)

    def refuse_actor(self, user: User, obj: M, step: Step) -> NoReturn:
        raise ValidationError(
            _("You may not do this: %(action)s.") % {"action": step.label}, code="not_allowed"
        )

    def ask_reason(self, obj: M, to_status: str) -> NoReturn:
        raise ValidationError(
            _("Give a reason to change “%(current)s” to “%(requested)s”.")
            % {
                "current": self.status_label(self.status_of(obj)),
                "requested": self.status_label(to_status),
            },
            code="reason",
        )

    def applies(self, obj: M, to_status: str, step: Step) -> bool:
        """Whether a move in the table applies to this record now (a refused closure goes
        back only to where the case was, say). `refuse_inapplicable` explains a refusal."""
        return True

    def refuse_inapplicable(self, obj: M, to_status: str) -> NoReturn:
        self.refuse_move(obj, to_status)

    def apply(self, obj: M, *, from_status: str, to_status: str) -> list[str]:
        """Set what the move changes besides the status; return the fields it set."""
        return []

    def record(
        self,
        obj: M,
        *,
        actor: User,
        step: Step,
        from_status: str,
        to_status: str,
        reason: str,
        before: dict[str, Any],
    ) -> None:
        """Record who, when and why: an audit event by default."""
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=obj,
            before=before,
            after=self.snapshot(obj),
            purpose=self.audit_purpose(step, reason),
            **self.audit_subject(obj),
        )

    def audit_subject(self, obj: M) -> dict[str, Any]:
        """Whom the record is about, for the audit event (`person_id`, `household_id`), so
        that the person's or household's history finds the move; none by default."""
        return {}

    def signal_names(self, obj: M, step: Step) -> dict[str, Any]:
        """Other names the `moved` signal also sends the record and the step under (a
        workflow's receivers may know them by its own words)."""
        return {}

    def audit_purpose(self, step: Step, reason: str) -> str:
        return f"{step.action}: {reason}" if reason else step.action

    # --- the helper itself ------------------------------------------------------------

    def status_of(self, obj: M) -> str:
        return getattr(obj, self.status_field)

    def snapshot(self, obj: M) -> dict[str, Any]:
        return audit.snapshot(obj, self.audited_fields)

    def allowed_next(self, obj: M, user: User) -> list[Move]:
        """The moves the user may make on the record now (page buttons, the API's
        ``next_steps``). Every rule of `transition` but the version and the reason."""
        return [move for move in self.moves_by_role(obj, user) if self.may_on(user, obj, move.step)]

    def moves_by_role(self, obj: M, user: User) -> list[Move]:
        """The moves from the record's status that apply now and that the user's role may
        take (the table and the role table only: no query)."""
        status = self.status_of(obj)
        return [
            Move(to_status, step)
            for (from_status, to_status), step in self.steps.items()
            if from_status == status
            and self.applies(obj, to_status, step)
            and may(user, step.permission)
        ]

    def can_move(self, obj: M, user: User, to_status: str) -> bool:
        return any(move.to_status == to_status for move in self.allowed_next(obj, user))

    def transition(
        self,
        *,
        actor: User,
        pk: int,
        to_status: str,
        version: int | None,
        reason: str = "",
        changes: Mapping[str, Any] | None = None,
    ) -> M:
        """Move the record to ``to_status`` (see the module docstring); ``changes`` are the
        step's other fields (a response time, an outcome). Returns the updated record."""
        with transaction.atomic():
            obj, step, reason = self.prepare(
                actor=actor, pk=pk, to_status=to_status, version=version, reason=reason
            )
            return self.complete(
                obj, actor=actor, step=step, to_status=to_status, reason=reason, changes=changes
            )

    def prepare(
        self, *, actor: User, pk: int, to_status: str, version: int | None, reason: str = ""
    ) -> tuple[M, Step, str]:
        """Steps 1-4 of `transition`: the locked record, its step and the cleaned reason,
        or a refusal. For a step that writes more than its own row before it completes (a
        report accepted into a new case), call this, write, then `complete` — in one
        transaction."""
        obj = self.lock(actor, pk)
        check_version(obj, version)
        step = self.steps.get((self.status_of(obj), to_status))
        if step is None:
            self.refuse_move(obj, to_status)
        if not self.applies(obj, to_status, step):
            self.refuse_inapplicable(obj, to_status)
        if not self.may(actor, obj, step):
            self.refuse_actor(actor, obj, step)
        reason = (reason or "").strip()
        if step.reason_required and not reason:
            self.ask_reason(obj, to_status)
        return obj, step, reason

    def complete(
        self,
        obj: M,
        *,
        actor: User,
        step: Step,
        to_status: str,
        reason: str = "",
        changes: Mapping[str, Any] | None = None,
    ) -> M:
        """Steps 5-7 of `transition` on a record `prepare` returned."""
        from_status = self.status_of(obj)
        before = self.snapshot(obj)
        setattr(obj, self.status_field, to_status)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        extra = self.apply(obj, from_status=from_status, to_status=to_status)
        obj.version += 1  # type: ignore[attr-defined]
        fields = {self.status_field, "version", *(changes or {}), *extra}
        obj.save(update_fields=sorted(fields))
        self.record(
            obj,
            actor=actor,
            step=step,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            before=before,
        )
        self.moved.send(
            sender=self.model,
            obj=obj,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            reason=reason,
            step=step,
            **self.signal_names(obj, step),
        )
        return obj
