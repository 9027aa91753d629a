"""The migration that fills the search keys of people registered before them
(registry/0004): every person gets the keys the services write, batch by batch; a person
erased on request keeps empty keys; a person already filled is not rewritten."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from onehome.privacy.requests.erasure import ERASED_NAME
from onehome.registry.models import Person

fill_migration = importlib.import_module("onehome.registry.migrations.0004_fill_person_search_keys")
KEYS = ("first_fold", "last_fold", "first_rom", "last_rom")


def _keys(person: Person) -> tuple:
    person.refresh_from_db()
    return tuple(getattr(person, key) for key in KEYS)


@pytest.mark.django_db
def test_the_fill_writes_the_services_keys_and_skips_the_erased(make_person, monkeypatch):
    people = [make_person("หฤทัย", "ธนัชพิมพ์กานต์"), make_person("ศศิธร", "ณรงค์ฤทธิ์")]
    written = [_keys(p) for p in people]
    assert all(all(keys) for keys in written)  # the services wrote them
    erased = make_person("ลบ", "ออก")
    Person.objects.filter(pk=erased.pk).update(name_key=ERASED_NAME, first_name_th=ERASED_NAME)
    Person.objects.update(**dict.fromkeys(KEYS, ""))  # as before the migration
    monkeypatch.setattr(fill_migration, "BATCH", 1)  # one person per batch

    fill_migration.fill(apps, SimpleNamespace(connection=connection))

    assert [_keys(p) for p in people] == written
    assert _keys(erased) == ("", "", "", "")
