"""Labels, not codes (issue 15): the audit log page names each action and the kind of record
in the page's language, not as stored ("create", "registry.person")."""

from onehome.access.models import Role, ScopeLevel


def test_audit_page_shows_action_and_record_labels(client, make_user, make_person):
    make_person()
    client.force_login(make_user(Role.AUDITOR, level=ScopeLevel.NATION, code=""))
    response = client.get("/audit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>สร้าง</strong> · บุคคล #" in body
    assert "registry.person" not in body
