"""The audit log: append-only in the database, written on reads and writes, searchable
by auditors only."""

import pytest
from django.db import DatabaseError, transaction

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.registry import selectors, services

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_or_delete_audit_events(worker, make_person):
    make_person()
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(purpose="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.save()
    event.refresh_from_db()
    assert event.purpose != "tampered"


def test_creating_and_updating_a_person_records_before_and_after(worker, make_person):
    person = make_person("สมชาย", "ใจดี")
    services.update_person(
        actor=worker,
        person_id=person.pk,
        expected_version=1,
        changes={"phone": "0812345678"},
        purpose="new phone",
    )
    create, update = AuditEvent.objects.filter(person_id=person.pk).order_by("id")
    assert (create.action, create.actor_username) == ("create", worker.username)
    assert create.after["first_name_th"] == "สมชาย"
    assert update.action == "update" and update.purpose == "new phone"
    assert update.before["phone"] == "" and update.after["phone"] == "0812345678"


def test_reading_a_person_is_recorded_with_its_purpose(worker, make_person):
    person = make_person()
    selectors.person_for_view(worker, person.pk, purpose="home visit planning")
    read = AuditEvent.objects.get(person_id=person.pk, action="read")
    assert read.purpose == "home visit planning" and read.actor_id == worker.pk


def test_auditors_search_the_log_and_others_get_404(client, make_user, worker, make_person):
    person = make_person()
    make_person("สมศรี", "มีสุข")
    auditor = make_user(Role.AUDITOR, level=ScopeLevel.NATION, code="")
    client.force_login(auditor)
    body = client.get("/api/audit-events/", {"person": person.pk}).json()
    assert body["count"] == 1 and body["results"][0]["person_id"] == person.pk
    body = client.get("/api/audit-events/", {"actor": worker.username}).json()
    assert body["count"] == 2
    assert client.get("/api/audit-events/", {"date_from": "2-2-2"}).status_code == 400
    client.force_login(worker)
    assert client.get("/api/audit-events/").status_code == 404
