"""Which unit is responsible for a report: chosen by place and issue.

- Ordinary issues go to the centre serving the sub-district: the social assistance centre
  first (it runs the one-stop service), else the family development centre (ศพค.).
- Sensitive reports (a sensitive issue or risk: `catalogue.is_sensitive`) and critical
  reports go to the provincial office
  (พมจ.) of the report's province: it holds the social workers and the legal powers
  (child and domestic-violence protection acts) that a tambon centre does not.
- When no centre serves the place, or the centre that does has nobody signed up to pick
  reports up (no active staff account), the provincial office takes it too: a report routed
  to a unit nobody works in would sit on no one's dispatch board.

No unit at all (a province without a provincial office on file, and no centre) leaves the
report unrouted; it shows on the dispatch board of the supervisors and provincial heads of
its area (the role table's `TRIAGE_AREA_REPORTS`), a sensitive one too
(`selectors.visible_reports`), so someone can triage it.
"""

from onehome.cases.models import Urgency
from onehome.core.compiled.queries import CompiledQuery
from onehome.geo.models import Subdistrict
from onehome.orgs.models import Organisation, OrgKind

# Earlier kinds win when several centres serve one sub-district.
CENTRE_PREFERENCE = (OrgKind.ASSISTANCE_CENTRE, OrgKind.FAMILY_CENTRE)


# Every hotline report asks these two; compiled once (onehome.core.compiled.queries).
_OFFICE = CompiledQuery(
    lambda province: Organisation.objects.filter(
        kind=OrgKind.PROVINCIAL_OFFICE, province_id=province
    ).order_by("code")[:1]
)
_CENTRES = CompiledQuery(
    lambda subdistrict: (
        Organisation.objects.filter(
            kind__in=CENTRE_PREFERENCE, serves__code=subdistrict, staff__is_active=True
        )
        .distinct()
        .order_by("code")
    )
)


def provincial_office(province_code: str) -> Organisation | None:
    return _OFFICE.one(str(province_code))


def serving_centre(subdistrict_code: str) -> Organisation | None:
    centres = _CENTRES(str(subdistrict_code))
    centres.sort(key=lambda org: CENTRE_PREFERENCE.index(org.kind))
    return centres[0] if centres else None


def goes_to_province(*, sensitive: bool, urgency: str) -> bool:
    return urgency == Urgency.CRITICAL or sensitive


def responsible_unit(
    *, subdistrict: Subdistrict, sensitive: bool, urgency: str
) -> Organisation | None:
    """The organisation that must pick the report up (see the module docstring);
    ``sensitive`` is the report's (`catalogue.is_sensitive`)."""
    if not goes_to_province(sensitive=sensitive, urgency=urgency):
        centre = serving_centre(subdistrict.code)
        if centre is not None:
            return centre
    office = provincial_office(subdistrict.province_id)
    return office or serving_centre(subdistrict.code)
