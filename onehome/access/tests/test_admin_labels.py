"""Labels, not codes (issue 15): the admin's list of users names each user's roles and area
("นักสังคมสงเคราะห์", "จังหวัด เชียงราย"), not as stored ("social_worker", "57")."""

import re

from onehome.access.models import Role, User


def test_the_user_list_names_roles_and_areas(client, worker, make_user):
    make_user(Role.ANALYST, level="nation", code="")
    boss = User.objects.create_superuser("boss", "boss@example.invalid", "pw-for-tests-only")
    client.force_login(boss)
    response = client.get("/admin/access/user/")
    assert response.status_code == 200
    body = response.content.decode()
    cells = re.findall(r'<td class="field-(role_names|area)">([^<]*)</td>', body)
    assert ("role_names", "นักสังคมสงเคราะห์, เจ้าหน้าที่ศูนย์") in cells
    assert ("area", "จังหวัด เชียงราย") in cells and ("area", "ทั้งประเทศ") in cells
    assert not any("_" in text or text.isdigit() for _kind, text in cells)
