"""Views are thin: no page or API view module queries the ORM itself.

Reads go through an app's `selectors` (where the scoping function and the audit of reads
live) and writes through its `services`; a view parses, calls and renders. A view that
reached for `Model.objects` could read around the scope, so the rule is checked here on
every module of views: `views.py`, `*_views.py`, `api.py` and anything under `pages/`.

What counts as querying: any `.objects` attribute (a model's manager — `Model.objects.none()`
for the schema generator included: `onehome.api.schema.model_for_schema` is the door for
that); Django's `get_object_or_404` / `get_list_or_404`, which query whatever model or
queryset they are given (the scoped `access.scope.get_scoped_or_404` belongs in selectors
too, where it is called on a selector's queryset); and a DRF `queryset = ...` class
attribute (the viewset would read it without a selector; `get_queryset()` calls one).
"""

import ast
from pathlib import Path

ONEHOME = Path(__file__).resolve().parents[2]


def is_view_module(path: Path) -> bool:
    rel = path.relative_to(ONEHOME)
    if {"tests", "migrations", "management"} & set(rel.parts):
        return False
    name = path.stem
    return name in ("views", "api") or name.endswith("_views") or "pages" in rel.parts[:-1]


def view_modules() -> list[Path]:
    return sorted(p for p in ONEHOME.rglob("*.py") if is_view_module(p))


QUERYING_SHORTCUTS = {"get_object_or_404", "get_list_or_404", "get_scoped_or_404"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def orm_uses(source: str) -> list[str]:
    """Where `source` queries the ORM itself: ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and _called_name(node) in QUERYING_SHORTCUTS:
            found.append(f"{node.lineno}: {_called_name(node)}()")
        elif isinstance(node, ast.ClassDef):
            for stmt in node.body:
                targets = (
                    stmt.targets
                    if isinstance(stmt, ast.Assign)
                    else [stmt.target]
                    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None
                    else []
                )
                if any(isinstance(t, ast.Name) and t.id == "queryset" for t in targets):
                    found.append(f"{stmt.lineno}: {node.name}.queryset")
    return sorted(found, key=lambda entry: (int(entry.split(":")[0]), entry))


def test_the_rule_sees_the_orm_in_a_view():
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def page(request, pk):\n"
        "    person = get_object_or_404(Person.objects.all(), pk=pk)\n"
        "    rows = Household.objects.filter(pk=pk)\n"
        "    merge = shortcuts.get_object_or_404(PersonMerge, pk=pk)\n"
        "class PeopleViewSet:\n"
        "    queryset = Person.objects.none()\n"
        "    serializer_class = PersonSerializer\n"
        "class Thin:\n"
        "    def get_queryset(self):\n"
        "        return selectors.people_in_scope(self.request.user)\n"
    )
    assert orm_uses(source) == [
        "3: Person.objects",
        "3: get_object_or_404()",
        "4: Household.objects",
        "5: get_object_or_404()",
        "7: PeopleViewSet.queryset",
        "7: Person.objects",
    ]


def test_the_rule_walks_every_kind_of_view_module():
    names = {p.relative_to(ONEHOME).as_posix() for p in view_modules()}
    assert {
        "registry/views.py",
        "registry/household_views.py",
        "cases/intake/triage_views.py",
        "cases/lifecycle/api.py",
        "targeting/pages/areas.py",
        "web/views.py",
    } <= names
    assert not any("/tests/" in n for n in names)


def test_no_view_module_queries_the_orm():
    found = {}
    for path in view_modules():
        uses = orm_uses(path.read_text(encoding="utf-8"))
        if uses:
            found[path.relative_to(ONEHOME).as_posix()] = uses
    assert found == {}, "read through the app's selectors, write through its services"
