"""One demo login per role, plus a Bangkok social worker who sees none of the demo province
(to show area scoping). Upserted by username; the shared password is reset on every load,
and so is the second factor of the users who need one (region- and nation-wide, staff):
a TOTP device with one known secret (`onehome demo_code` prints its current code).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from onehome.access.models import Role, ScopeLevel, User
from onehome.access.signin.second_factor import needs_second_factor
from onehome.orgs.models import Organisation

from .network import Network

# For the demo only: printed on the console and in docs/demo.md, so never on a real server.
DEMO_PASSWORD = "onehome-demo"  # noqa: S105
# The demo users' second factor (base32, as authenticator apps take it typed), for the demo
# only like the password: printed on the console and in docs/demo.md.
DEMO_TOTP_SECRET = "ONEHOMEDEMOSECONDFACTORKEYFORALL"  # noqa: S105
DEMO_TOTP_DEVICE = "demo"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope_level: str
    scope_code: str  # empty for the nation
    first_name: str
    last_name: str
    organisation: str  # an organisation code, "{p}" = the demo province

    @property
    def scope(self) -> str:
        return f"{self.scope_level} {self.scope_code}".strip()


def demo_logins(province: str, region: str) -> list[Login]:
    sub = f"{province}0101"  # the provincial capital's central sub-district
    P, N = ScopeLevel.PROVINCE, ScopeLevel.NATION
    S = ScopeLevel.SUBDISTRICT
    ops, office = "MSDHS-OPS", f"{province}-PSO"
    return [
        Login("volunteer", Role.VOLUNTEER, S, sub, "บุญมี", "อาสาดี", f"CENTRE-AC-{sub}"),
        Login("centre_staff", Role.CENTRE_STAFF, S, sub, "จันทร์เพ็ญ", "ใจงาม", f"CENTRE-AC-{sub}"),
        Login("social_worker", Role.SOCIAL_WORKER, P, province, "ณัฐธิดา", "รักษ์ถิ่น", office),
        Login("hotline_operator", Role.HOTLINE_OPERATOR, N, "", "ปวีณา", "สายด่วน", ops),
        Login("supervisor", Role.SUPERVISOR, P, province, "ธนากร", "ดูแลดี", office),
        Login("provincial_head", Role.PROVINCIAL_HEAD, P, province, "วิไลวรรณ", "ศรีเมือง", office),
        Login("inspector", Role.INSPECTOR, ScopeLevel.REGION, region, "ประเสริฐ", "ตรวจการ", ops),
        Login("analyst", Role.ANALYST, N, "", "กิตติพงษ์", "วิเคราะห์", ops),
        Login("fund_officer", Role.FUND_OFFICER, P, province, "สุภาพร", "กองทุนดี", office),
        Login("evaluator", Role.EVALUATOR, P, province, "อรุณี", "ประเมินผล", f"{province}-UNI-MFU"),
        Login("auditor", Role.AUDITOR, N, "", "สมศักดิ์", "ตรวจสอบ", ops),
        Login("dpo", Role.DPO, P, province, "ปิยะนุช", "คุ้มครองข้อมูล", office),
        Login("admin", Role.ADMIN, N, "", "ผู้ดูแล", "ระบบ", ops),
        Login("worker_bkk", Role.SOCIAL_WORKER, P, "10", "ชยพล", "กรุงเทพ", "MSDHS-DCY"),
    ]


def upsert_logins(
    logins: list[Login], *, network: Network, progress: Progress | None = None
) -> None:
    """Create or update the demo users and reset their password to DEMO_PASSWORD."""
    orgs = Organisation.objects.in_bulk([lo.organisation for lo in logins], field_name="code")
    for lo in logins:
        admin = lo.role == Role.ADMIN
        user, _created = User.objects.update_or_create(
            username=lo.username,
            defaults={
                "roles": [lo.role],
                "scope_level": lo.scope_level,
                "scope_code": lo.scope_code,
                "organisation": orgs.get(lo.organisation, network.provincial_office),
                "first_name": lo.first_name,
                "last_name": lo.last_name,
                "is_active": True,
                "is_staff": admin,
                "is_superuser": admin,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if needs_second_factor(user):
            give_demo_second_factor(user)
        if progress:
            progress(1)


def demo_totp_key() -> str:
    """DEMO_TOTP_SECRET as django-otp keeps keys (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_second_factor(user: User) -> None:
    """The user's only TOTP device: confirmed, with the demo's known secret."""
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_TOTP_DEVICE).delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name=DEMO_TOTP_DEVICE,
        defaults={"key": demo_totp_key(), "confirmed": True, "throttling_failure_count": 0},
    )
