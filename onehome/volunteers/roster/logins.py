"""The login tied to a volunteer record: a new one with the volunteer app's roles, scoped
to the volunteer's sub-district, or an existing volunteer's login of that sub-district.
Saving the user is audited and told to them (`access.user_changes`)."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, ScopeLevel, User
from onehome.access.roles import Action, holds_only_roles_for, roles_for
from onehome.core.state_machine import check_version
from onehome.errors import ValidationError
from onehome.volunteers.models import Volunteer, VolunteerStatus
from onehome.volunteers.roster.services import locked_for_write


@transaction.atomic
def tie_login(
    *,
    actor: User,
    volunteer_id: int,
    version: int | None,
    username: str,
    password: str = "",
) -> User:
    """Tie a login to the record: a new one (``username`` free, ``password`` given) with
    the volunteer app's roles, scoped to the volunteer's sub-district and their centre, or
    an existing one (``username`` taken, no password) that already holds only those roles
    and that scope. Saving the user is audited and told to them (`access.user_changes`)."""
    volunteer = locked_for_write(actor, volunteer_id)
    check_version(volunteer, version)
    if volunteer.status == VolunteerStatus.LEFT:
        raise ValidationError(_("This volunteer has left; no login can be tied to the record."))
    if volunteer.user_id:
        raise ValidationError(
            _("This record already has a login (%(u)s).") % {"u": volunteer.user.username}
        )
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise ValidationError(_("Enter the login's user name."), code="username")
    login = User.objects.select_for_update().filter(username=username).first()
    if login is None:
        login = _new_login(volunteer, username, password)
    else:
        _check_linkable(login, volunteer, password)
    volunteer.user = login
    volunteer.version += 1
    volunteer.save(update_fields=["user", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=volunteer,
        person_id=volunteer.person_id,
        before={"user_id": None},
        after={"user_id": login.pk, "username": login.username},
        purpose="volunteer login tied",
    )
    return login


def _new_login(volunteer: Volunteer, username: str, password: str) -> User:
    login = User(
        username=username,
        first_name=volunteer.person.first_name_th[:150],
        last_name=volunteer.person.last_name_th[:150],
        roles=sorted(roles_for(Action.USE_VOLUNTEER_APP)),
        scope_level=ScopeLevel.SUBDISTRICT,
        scope_code=volunteer.subdistrict_id,
        organisation=volunteer.centre,
    )
    if not password:
        raise ValidationError(_("Give the new login a first password."), code="password")
    try:
        validate_password(password, login)
    except ValidationError as exc:
        raise ValidationError(exc.messages, code="password") from None
    login.set_password(password)
    login.save()
    return login


def _check_linkable(login: User, volunteer: Volunteer, password: str) -> None:
    """An existing login may be tied only when it is a volunteer's login of the same
    sub-district and tied to no other record; a password is never changed this way."""
    if password:
        raise ValidationError(
            _("This user name is taken: leave the password empty to tie that login."),
            code="username",
        )
    if Volunteer.objects.filter(user=login).exists():
        raise ValidationError(_("This login is tied to another volunteer."), code="username")
    if (
        not login.is_active
        or not holds_only_roles_for(login, Action.USE_VOLUNTEER_APP)
        or login.scope_level != ScopeLevel.SUBDISTRICT
        or login.scope_code != volunteer.subdistrict_id
    ):
        raise ValidationError(
            _(
                "Only an active volunteer's login scoped to the volunteer's sub-district can "
                "be tied; choose another user name for a new login."
            ),
            code="username",
        )
