"""The demo province's network: ministry departments, the provincial office and units, the
One Home team, a family development centre (ศพค.) and a social assistance centre in the
sub-districts, partners, and the MOUs between the provincial office and its partners.

Organisations are upserted by code and agreements by code, so a second load updates them.
The structure follows the real ministry; the provincial units and partners listed for
Chiang Rai are examples for the demo, not an official directory.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from onehome.geo.models import Province, Subdistrict
from onehome.orgs.models import Agreement, Organisation, OrgKind
from onehome.orgs.services import create_agreement

Progress = Callable[[int], None]

# (code, Thai name, English name)
DEPARTMENTS = [
    ("MSDHS-OPS", "สำนักงานปลัดกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
     "Office of the Permanent Secretary, MSDHS"),
    ("MSDHS-DSDW", "กรมพัฒนาสังคมและสวัสดิการ", "Department of Social Development and Welfare"),
    ("MSDHS-DCY", "กรมกิจการเด็กและเยาวชน", "Department of Children and Youth"),
    ("MSDHS-DWF", "กรมกิจการสตรีและสถาบันครอบครัว",
     "Department of Women's Affairs and Family Development"),
    ("MSDHS-DOP", "กรมกิจการผู้สูงอายุ", "Department of Older Persons"),
    ("MSDHS-DEP", "กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ",
     "Department of Empowerment of Persons with Disabilities"),
    ("MSDHS-NHA", "การเคหะแห่งชาติ", "National Housing Authority"),
]  # fmt: skip

# (code suffix, Thai name pattern, English name pattern, parent department)
PROVINCIAL_UNITS = [
    ("SHELTER-CF", "บ้านพักเด็กและครอบครัวจังหวัด{p}", "{e} Children and Family Shelter",
     "MSDHS-DCY"),
    ("DESTITUTE", "ศูนย์คุ้มครองคนไร้ที่พึ่งจังหวัด{p}", "{e} Protection Centre for the Destitute",
     "MSDHS-DSDW"),
    ("SETTLEMENT", "นิคมสร้างตนเองจังหวัด{p}", "{e} Self-Help Settlement", "MSDHS-DSDW"),
    ("HIGHLAND", "ศูนย์พัฒนาราษฎรบนพื้นที่สูงจังหวัด{p}", "{e} Highland People Development Centre",
     "MSDHS-DSDW"),
    ("DISABILITY", "ศูนย์บริการคนพิการจังหวัด{p}", "{e} Disability Service Centre", "MSDHS-DEP"),
    ("ELDERLY", "ศูนย์พัฒนาการจัดสวัสดิการสังคมผู้สูงอายุจังหวัด{p}",
     "{e} Older Persons Welfare Development Centre", "MSDHS-DOP"),
]  # fmt: skip

# Partners of Chiang Rai (other provinces get generic ones named after the province).
CHIANG_RAI_PARTNERS = [
    ("UNI-MFU", OrgKind.UNIVERSITY, "มหาวิทยาลัยแม่ฟ้าหลวง", "Mae Fah Luang University", "570121",
     "วิชาการ การประเมินมาตรฐานสถานรับเลี้ยงเด็ก และนักศึกษาฝึกงานด้านสังคมสงเคราะห์"),
    ("UNI-CRRU", OrgKind.UNIVERSITY, "มหาวิทยาลัยราชภัฏเชียงราย", "Chiang Rai Rajabhat University",
     "570103", "การพัฒนาศักยภาพ อพม. และการสำรวจข้อมูลครัวเรือนเปราะบาง"),
    ("HOSP-CRPH", OrgKind.HOSPITAL, "โรงพยาบาลเชียงรายประชานุเคราะห์",
     "Chiang Rai Prachanukroh Hospital", "570101",
     "ศูนย์พึ่งได้ (OSCC) ส่งต่อผู้ป่วยติดเตียง ผู้สูงอายุ และคนพิการ"),
    ("POLICE", OrgKind.POLICE, "ตำรวจภูธรจังหวัดเชียงราย", "Chiang Rai Provincial Police",
     "570101", "คุ้มครองเด็ก สตรี และผู้เสียหายจากการค้ามนุษย์"),
    ("NGO-MIRROR", OrgKind.FOUNDATION, "มูลนิธิกระจกเงา", "The Mirror Foundation", "570106",
     "ติดตามคนหาย ช่วยเหลือคนไร้บ้าน และการมีสถานะทางทะเบียน"),
    ("NGO-REDCROSS", OrgKind.NGO, "เหล่ากาชาดจังหวัดเชียงราย", "Chiang Rai Red Cross Chapter",
     "570101", "ถุงยังชีพ และการช่วยเหลือผู้ประสบภัย"),
    ("NGO-ELDERLY", OrgKind.NGO, "ชมรมผู้สูงอายุจังหวัดเชียงราย", "Chiang Rai Elderly Club",
     "570101", "อาสาดูแลผู้สูงอายุในชุมชน และโรงเรียนผู้สูงอายุ"),
]  # fmt: skip
LOCAL_GOVERNMENTS = 8  # sub-districts whose local government signs an MOU


@dataclass
class Network:
    departments: dict[str, Organisation]
    provincial_office: Organisation
    one_home_team: Organisation
    units: list[Organisation]
    centres: dict[str, Organisation]  # by code
    partners: list[Organisation]
    agreements: list[Agreement]

    @property
    def organisations(self) -> int:
        return len(self.departments) + 2 + len(self.units) + len(self.centres) + len(self.partners)


def _upsert(code: str, **fields) -> Organisation:
    org, _created = Organisation.objects.update_or_create(code=code, defaults=fields)
    return org


def _centres(
    province: Province,
    subs: list[Subdistrict],
    office: Organisation,
    rng: random.Random,
    progress: Progress | None,
) -> dict[str, Organisation]:
    """A social assistance centre in every sub-district and a ศพค. in most, each serving its
    own sub-district and now and then a neighbour in the same district."""
    by_district: dict[str, list[Subdistrict]] = {}
    for s in subs:
        by_district.setdefault(s.district_id, []).append(s)
    centres = {}
    for sub in subs:
        neighbours = [s for s in by_district[sub.district_id] if s.code != sub.code]
        kinds = [("AC", OrgKind.ASSISTANCE_CENTRE, "ศูนย์ช่วยเหลือสังคมตำบล",
                  "Social Assistance Centre")]  # fmt: skip
        if rng.random() < 0.9:
            kinds.append(("FC", OrgKind.FAMILY_CENTRE, "ศูนย์พัฒนาครอบครัวในชุมชนตำบล",
                          "Community Family Development Centre"))  # fmt: skip
        for tag, kind, name_th, name_en in kinds:
            org = _upsert(
                f"CENTRE-{tag}-{sub.code}",
                kind=kind,
                name_th=f"{name_th}{sub.name_th}",
                name_en=f"{sub.name_en} {name_en}".strip(),
                parent=office,
                province=province,
                location=sub,
                accepts_referrals=True,
            )
            served = [sub]
            if neighbours and rng.random() < 0.1:
                served.append(rng.choice(neighbours))
            org.serves.set(served)
            centres[org.code] = org
        if progress:
            progress(1)
    return centres


def _partners(
    province: Province, subs: list[Subdistrict], rng: random.Random
) -> list[Organisation]:
    p = province.code
    by_code = {sub.code: sub for sub in subs}
    partners = []
    if p == "57":
        rows = CHIANG_RAI_PARTNERS
    else:
        capital = f"{p}0101"
        rows = [
            ("HOSP", OrgKind.HOSPITAL, f"โรงพยาบาลศูนย์{province.name_th}",
             f"{province.name_en} Hospital", capital, "ศูนย์พึ่งได้ (OSCC)"),
            ("POLICE", OrgKind.POLICE, f"ตำรวจภูธรจังหวัด{province.name_th}",
             f"{province.name_en} Provincial Police", capital, "คุ้มครองเด็กและสตรี"),
        ]  # fmt: skip
    for suffix, kind, name_th, name_en, location, contribution in rows:
        partners.append(
            _upsert(
                f"{p}-{suffix}",
                kind=kind,
                name_th=name_th,
                name_en=name_en,
                province=province,
                location=by_code.get(location),
                contribution=contribution,
            )
        )
    for sub in [subs[0], *rng.sample(subs[1:], min(LOCAL_GOVERNMENTS - 1, len(subs) - 1))]:
        if sub.code == "570101":
            name_th, name_en = "เทศบาลนครเชียงราย", "Chiang Rai City Municipality"
        else:
            name_th = f"องค์การบริหารส่วนตำบล{sub.name_th}"
            name_en = f"{sub.name_en} Subdistrict Administrative Organisation"
        org = _upsert(
            f"{p}-LG-{sub.code}",
            kind=OrgKind.LOCAL_GOVERNMENT,
            name_th=name_th,
            name_en=name_en,
            province=province,
            location=sub,
            contribution="ที่ตั้งศูนย์ช่วยเหลือสังคมตำบล งบประมาณสวัสดิการ และเบี้ยยังชีพ",
        )
        org.serves.set([sub])
        partners.append(org)
    return partners


def _agreements(
    province: Province,
    office: Organisation,
    team: Organisation,
    units: list[Organisation],
    partners: list[Organisation],
    rng: random.Random,
) -> list[Agreement]:
    agreements = []
    signed = dt.date(2022, 8, 10)  # the day the ministry opened more tambon centres in Chiang Rai
    agreements.append(
        create_agreement(
            code=f"MOU-{province.code}-ONEHOME",
            title=f"บันทึกความร่วมมือการขับเคลื่อนทีม One Home พม. จังหวัด{province.name_th}",
            parties=[office, team, *units],
            signed_on=signed,
            valid_until=dt.date(2026, 9, 30),
            scope="บูรณาการการช่วยเหลือกลุ่มเปราะบางแบบจุดเดียวเบ็ดเสร็จ (One Stop Service) "
            "การส่งต่อและรับเรื่องระหว่างหน่วยงานในสังกัดกระทรวง พม. ในจังหวัด "
            "และการรายงานผลการช่วยเหลือกลับไปยังหน่วยที่ส่งต่อ",
            provinces=[province.code],
        )
    )
    for partner in partners:
        signed_on = dt.date(rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28))
        years = rng.choice([3, 3, 4, 5])
        agreements.append(
            create_agreement(
                code=f"MOU-{partner.code}",
                title=f"บันทึกความร่วมมือระหว่าง{office.name_th}และ{partner.name_th}",
                parties=[office, partner],
                signed_on=signed_on,
                valid_until=signed_on.replace(year=signed_on.year + years),
                scope=f"ความร่วมมือด้าน{partner.contribution} "
                f"เพื่อช่วยเหลือและพัฒนาคุณภาพชีวิตกลุ่มเปราะบางในจังหวัด{province.name_th}",
                provinces=[province.code],
            )
        )
    return agreements


def build_network(*, province: str, seed: int, progress: Progress | None = None) -> Network:
    rng = random.Random(f"{seed}:network")
    prov = Province.objects.get(code=province)
    departments = {
        code: _upsert(code, kind=OrgKind.MINISTRY_DEPARTMENT, name_th=th, name_en=en, province=None)
        for code, th, en in DEPARTMENTS
    }
    # The province's sub-districts, read once for the office, the centres and the partners.
    subs = list(Subdistrict.objects.filter(province=prov).order_by("code"))
    capital = next((sub for sub in subs if sub.code == f"{province}0101"), None)
    office = _upsert(
        f"{province}-PSO",
        kind=OrgKind.PROVINCIAL_OFFICE,
        name_th=f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{prov.name_th} (พมจ.{prov.name_th})",
        name_en=f"{prov.name_en} Provincial Social Development and Human Security Office",
        parent=departments["MSDHS-OPS"],
        province=prov,
        location=capital,
        phone="1300",
    )
    team = _upsert(
        f"{province}-ONEHOME",
        kind=OrgKind.ONE_HOME_TEAM,
        name_th=f"ทีม One Home พม. จังหวัด{prov.name_th}",
        name_en=f"One Home MSDHS Team {prov.name_en}",
        parent=office,
        province=prov,
        location=capital,
        accepts_referrals=True,
    )
    units = [
        _upsert(
            f"{province}-{suffix}",
            kind=OrgKind.PROVINCIAL_UNIT,
            name_th=th.format(p=prov.name_th),
            name_en=en.format(e=prov.name_en),
            parent=departments[parent],
            province=prov,
            location=capital,
        )
        for suffix, th, en, parent in PROVINCIAL_UNITS
    ]
    centres = _centres(prov, subs, office, rng, progress)
    partners = _partners(prov, subs, rng)
    agreements = _agreements(prov, office, team, units, partners, rng)
    return Network(departments, office, team, units, centres, partners, agreements)
