"""What the demo's reports say: per sub-problem, who needs help, the risks ticked, the
urgency chosen, what was reported and where each agency refers it. Plain data for
`demo.cases`; the wording is what an operator would type, in Thai.
"""

from dataclasses import dataclass

from onehome.cases.models import Risk

# Who the person needing help is, to pick them from the registry.
CHILD, TEEN_GIRL, ADULT, WOMAN, ELDER, DISABLED, HOMELESS = (
    "child",
    "teen_girl",
    "adult",
    "woman",
    "elder",
    "disabled",
    "homeless",
)


@dataclass(frozen=True)
class Story:
    category: str
    subcategory: str
    victim: str
    urgency: str
    risks: tuple[str, ...]
    summary: str
    offender: str = ""  # how the alleged offender is described, when there is one
    # Organisation code suffixes (after "57-") or "CENTRE" to refer to, in order of preference.
    refer_to: tuple[str, ...] = ()


R = Risk
STORIES = [
    Story("violence", "violence_child", CHILD, "urgent", (R.VIOLENCE,),
          "ครูแจ้งว่านักเรียนมีรอยช้ำที่แขนและหลังหลายครั้ง เด็กบอกว่าถูกตีเมื่อพ่อเมา",
          "พ่อเลี้ยง ดื่มสุราเป็นประจำ", ("SHELTER-CF", "HOSP-CRPH", "POLICE")),
    Story("violence", "violence_women", WOMAN, "urgent", (R.VIOLENCE, R.WEAPON),
          "ผู้แจ้งได้ยินเสียงทะเลาะและเสียงร้องจากบ้านข้างเคียง สามีขู่ด้วยมีด",
          "สามี อายุประมาณ 40 ปี", ("HOSP-CRPH", "SHELTER-CF", "POLICE")),
    Story("violence", "violence_elderly", ELDER, "urgent", (R.VIOLENCE,),
          "ผู้สูงอายุถูกลูกชายทำร้ายร่างกายและเอาเงินเบี้ยยังชีพไป",
          "ลูกชาย ใช้สารเสพติด", ("HOSP-CRPH", "ELDERLY", "POLICE")),
    Story("violence", "sexual_abuse", CHILD, "critical", (R.SEXUAL_ABUSE,),
          "แม่แจ้งว่าลูกสาวถูกญาติล่วงละเมิดทางเพศซ้ำหลายครั้ง",
          "ญาติฝ่ายพ่อ อาศัยในหมู่บ้านเดียวกัน", ("HOSP-CRPH", "POLICE", "SHELTER-CF")),
    Story("teen_pregnancy", "teen_pregnancy_unplanned", TEEN_GIRL, "normal", (),
          "นักเรียนหญิงตั้งครรภ์ประมาณ 4 เดือน ไม่กล้าบอกครอบครัว ต้องการคำปรึกษา",
          refer_to=("HOSP-CRPH", "ONEHOME")),
    Story("teen_pregnancy", "teen_parent_support", TEEN_GIRL, "normal", (R.NO_FOOD,),
          "แม่วัยรุ่นเลี้ยงลูกอายุ 3 เดือนลำพัง ไม่มีรายได้ ขาดนมผง",
          refer_to=("ONEHOME", "CENTRE")),
    Story("trafficking", "trafficking_labour", ADULT, "urgent", (R.TRAFFICKING,),
          "แรงงานถูกยึดบัตรและไม่ได้รับค่าจ้าง ถูกห้ามออกจากไร่",
          "นายจ้างในไร่ข้าวโพด", ("POLICE", "SHELTER-CF")),
    Story("trafficking", "trafficking_sexual", TEEN_GIRL, "critical", (R.TRAFFICKING,
          R.SEXUAL_ABUSE), "เด็กหญิงถูกชักชวนไปทำงานร้านคาราโอเกะ ถูกบังคับให้ค้าประเวณี",
          "เจ้าของร้านคาราโอเกะ", ("POLICE", "SHELTER-CF", "HOSP-CRPH")),
    Story("trafficking", "trafficking_begging", CHILD, "urgent", (R.TRAFFICKING, R.CHILD_ALONE),
          "พบเด็กขอทานที่ตลาดไนท์บาซาร์ มีผู้ใหญ่คอยเก็บเงิน", "ชายไม่ทราบชื่อ อายุประมาณ 30 ปี",
          ("SHELTER-CF", "POLICE")),
    Story("drugs", "drugs_user_family", ADULT, "normal", (R.DRUGS,),
          "ภรรยาแจ้งว่าสามีใช้ยาบ้า ครอบครัวขาดรายได้ ลูกสองคนไม่ได้ไปโรงเรียน",
          refer_to=("HOSP-CRPH", "ONEHOME")),
    Story("drugs", "drugs_treatment", ADULT, "normal", (R.DRUGS, R.MENTAL_HEALTH),
          "ผู้ใช้สารเสพติดต้องการเข้ารับการบำบัด แต่ไม่ทราบขั้นตอน", refer_to=("HOSP-CRPH",)),
    Story("homeless", "homeless_street", HOMELESS, "normal", (R.NO_FOOD,),
          "พบผู้ไร้บ้านนอนที่สถานีขนส่ง ป่วย ไม่มีเอกสารประจำตัว",
          refer_to=("DESTITUTE", "NGO-MIRROR", "HOSP-CRPH")),
    Story("homeless", "destitute_no_income", ELDER, "normal", (R.NO_FOOD,),
          "ผู้สูงอายุอยู่ลำพัง ไม่มีรายได้ ไม่มีผู้ดูแล อาหารไม่พอ",
          refer_to=("DESTITUTE", "ELDERLY", "CENTRE")),
    Story("beggars", "beggar_thai", HOMELESS, "normal", (),
          "พบผู้ขอทานประจำหน้าวัดพระแก้ว ขาพิการ", refer_to=("DESTITUTE", "DISABILITY")),
    Story("beggars", "beggar_foreign", ADULT, "normal", (R.CHILD_ALONE,),
          "พบหญิงต่างด้าวอุ้มเด็กเล็กขอทานบริเวณหอนาฬิกา", refer_to=("DESTITUTE", "POLICE")),
    Story("children_youth", "child_neglect", CHILD, "urgent", (R.CHILD_ALONE,),
          "เด็กเล็กสองคนถูกทิ้งไว้ในบ้านลำพังหลายวัน ผู้ปกครองไปทำงานต่างจังหวัด",
          refer_to=("SHELTER-CF", "ONEHOME", "CENTRE")),
    Story("children_youth", "child_orphan", CHILD, "normal", (),
          "เด็กกำพร้าอาศัยกับยายอายุมาก ขาดค่าใช้จ่ายในการเรียน",
          refer_to=("SHELTER-CF", "CENTRE", "ONEHOME")),
    Story("children_youth", "child_education", CHILD, "normal", (),
          "เด็กหลุดออกจากโรงเรียนกลางคัน ช่วยพ่อแม่ทำงานในไร่", refer_to=("ONEHOME", "CENTRE")),
    Story("missing_persons", "missing_child", CHILD, "critical", (R.CHILD_ALONE,),
          "เด็กชายหายออกจากบ้านตั้งแต่เมื่อวานเย็น ติดต่อไม่ได้",
          refer_to=("NGO-MIRROR", "POLICE")),
    Story("missing_persons", "missing_adult", ELDER, "urgent", (R.MENTAL_HEALTH,),
          "ผู้สูงอายุมีอาการหลงลืมออกจากบ้านไปไม่กลับมาสองวัน",
          refer_to=("NGO-MIRROR", "POLICE", "ELDERLY")),
    Story("elderly", "elderly_bedridden", ELDER, "urgent", (R.BEDRIDDEN,),
          "ผู้สูงอายุติดเตียง ผู้ดูแลคือภรรยาอายุ 78 ปี ขาดผ้าอ้อมผู้ใหญ่และไม่มีรายได้",
          refer_to=("HOSP-CRPH", "ELDERLY", "CENTRE")),
    Story("elderly", "elderly_alone", ELDER, "normal", (),
          "ผู้สูงอายุอยู่บ้านลำพัง บ้านทรุดโทรม หลังคารั่ว", refer_to=("ELDERLY", "CENTRE")),
    Story("elderly", "elderly_no_income", ELDER, "normal", (R.NO_FOOD,),
          "ผู้สูงอายุไม่มีรายได้ ยังไม่ได้ลงทะเบียนรับเบี้ยยังชีพ",
          refer_to=("ELDERLY", "CENTRE", "ONEHOME")),
    Story("disabled", "disabled_care", DISABLED, "normal", (R.BEDRIDDEN,),
          "คนพิการทางการเคลื่อนไหวขาดผู้ดูแล ญาติไปทำงานต่างจังหวัด",
          refer_to=("DISABILITY", "HOSP-CRPH", "CENTRE")),
    Story("disabled", "disabled_equipment", DISABLED, "normal", (),
          "คนพิการต้องการรถเข็นและไม้เท้า ของเดิมชำรุด", refer_to=("DISABILITY", "CENTRE")),
    Story("disabled", "disabled_registration", DISABLED, "normal", (),
          "ผู้ปกครองของเด็กพิการทางสติปัญญาต้องการทำบัตรคนพิการ",
          refer_to=("DISABILITY", "HOSP-CRPH")),
]  # fmt: skip

RELATIONS = ["เพื่อนบ้าน", "ครู", "ญาติ", "ผู้ใหญ่บ้าน", "อสม.", "ผู้ประสบปัญหาเอง", "ลูกหลาน"]
ANONYMOUS_CATEGORIES = {"violence", "trafficking", "drugs"}

# Closed at once but counted: what the operator writes down.
QUICK_CALLS = {
    "prank": "โทรก่อกวน วางสายทันที",
    "wrong_number": "โทรผิด ต้องการติดต่อ 1330",
    "feedback": "ขอบคุณเจ้าหน้าที่ที่ช่วยเหลือครอบครัวเมื่อเดือนที่แล้ว",
    "enquiry": "สอบถามขั้นตอนการขอรับเงินสงเคราะห์ครอบครัวผู้มีรายได้น้อย ได้ให้ข้อมูลแล้ว",
}
TRIAGE_CLOSE_REASONS = [
    "ติดต่อผู้แจ้งไม่ได้ 3 ครั้ง และลงพื้นที่ไม่พบตามที่อยู่ที่แจ้ง",
    "ครอบครัวได้รับความช่วยเหลือจากเทศบาลแล้ว ไม่ต้องการความช่วยเหลือเพิ่ม",
    "เรื่องซ้ำกับที่แจ้งทาง LINE เมื่อวาน ปิดเรื่องนี้",
    "ไม่ใช่เรื่องในความรับผิดชอบของ พม. แนะนำให้ติดต่อสถานีตำรวจ",
]
DECLINE_REASONS = [
    "บ้านพักเต็ม รับได้อีกครั้งสัปดาห์หน้า",
    "ไม่อยู่ในเกณฑ์ของหน่วยงาน โปรดส่งต่อศูนย์ช่วยเหลือสังคมตำบล",
    "ผู้รับบริการอยู่นอกพื้นที่ให้บริการ",
]
OUTCOMES = [
    "เยี่ยมบ้านแล้ว ให้คำปรึกษาครอบครัว และวางแผนติดตามทุกสองสัปดาห์",
    "รับเข้าบ้านพักชั่วคราวแล้ว ผู้รับบริการปลอดภัย",
    "ตรวจร่างกายและรักษาที่ศูนย์พึ่งได้แล้ว นัดติดตามผลเดือนหน้า",
    "จัดหาอุปกรณ์และลงทะเบียนรับสวัสดิการเรียบร้อย",
    "ไม่สามารถช่วยเหลือได้ ครอบครัวย้ายออกนอกพื้นที่ แจ้งหน่วยต้นทางทราบ",
]
CLOSE_WITHOUT_HELP = [
    "ครอบครัวย้ายไปอยู่ต่างจังหวัด ส่งข้อมูลให้ พมจ. ปลายทางแล้ว",
    "ลงพื้นที่แล้ว ครอบครัวดูแลกันเองได้ ไม่ต้องการความช่วยเหลือ",
]
PAUSE_REASONS = [
    "รอครอบครัวนำสำเนาทะเบียนบ้านมายื่น",
    "ครอบครัวขอเลื่อนนัดเยี่ยมบ้านไปหลังเก็บเกี่ยว",
]
DIMENSION_NOTES = {
    "health": "มีโรคประจำตัว รับยาที่ รพ.สต.",
    "living": "บ้านชำรุด ห้องน้ำอยู่นอกบ้าน",
    "education": "เด็กในบ้านเรียนไม่ต่อเนื่อง",
    "income": "รายได้ไม่แน่นอน รับจ้างรายวัน",
    "access": "ยังไม่ได้รับสวัสดิการที่มีสิทธิ",
}
PLAN_GOALS = {
    "health": ("ได้รับการรักษาต่อเนื่อง", "ประสาน รพ.สต. เยี่ยมบ้านเดือนละครั้ง"),
    "living": ("บ้านปลอดภัย อยู่อาศัยได้", "ประสาน อบต. ซ่อมแซมหลังคาและห้องน้ำ"),
    "education": ("เด็กกลับเข้าเรียน", "ประสานโรงเรียนและทุนการศึกษา"),
    "income": ("ครอบครัวมีรายได้ประจำ", "ฝึกอาชีพและประสานงานจ้างงานในชุมชน"),
    "access": ("ได้รับสวัสดิการที่มีสิทธิ", "ลงทะเบียนเบี้ยยังชีพและบัตรสวัสดิการแห่งรัฐ"),
}
