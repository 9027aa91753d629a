"""Labels, not codes (issue 15): the report page names its issue, sub-problem, risks and the
sex of the people in it in the page's language, and shows none of the stored codes."""

from django.conf import settings


def test_report_page_shows_thai_labels_not_codes(client, operator, make_report):
    report = make_report(
        risks=["child_alone", "no_food"],
        parties=[{"role": "victim", "name": "ยายศรี", "sex": "male", "age": 80}],
    )
    client.force_login(operator)
    response = client.get(f"/cases/reports/{report.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ผู้สูงอายุ" in body and "ผู้สูงอายุติดเตียง" in body  # issue: sub-problem
    assert "เด็กถูกทิ้งไว้ตามลำพัง" in body and "ไม่มีอาหารหรือที่พักในคืนนี้" in body
    assert "ชาย" in body
    for code in ("child_alone", "no_food", "elderly_bedridden", ">male", " male"):
        assert code not in body, code


def test_report_page_in_english_shows_english_labels(client, operator, make_report):
    report = make_report(
        risks=["child_alone"], parties=[{"role": "victim", "name": "Sri", "sex": "female"}]
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(operator)
    body = client.get(f"/cases/reports/{report.pk}/").content.decode()
    assert "Child left alone" in body and "Bedridden older person" in body
    assert "Female" in body and "child_alone" not in body
