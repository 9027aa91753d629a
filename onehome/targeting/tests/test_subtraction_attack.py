"""The subtraction attack on every published table of counts: for users who see small
cells hidden (analysts, and anyone outside their own area), no hidden cell can be worked
out as a total minus the cells shown beside it, on the pages or through the API."""

import pandas as pd
import pytest
from rest_framework.test import APIClient

from onehome.access.models import Role
from onehome.targeting.models import Run
from onehome.targeting.results import withheld
from onehome.targeting.results import year_over_year as yoy


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, level="nation", code="")


@pytest.fixture
def readers(analyst, worker, outsider):
    """An analyst, a Chiang Rai worker and a Bangkok worker: each sees some areas only as
    counts with small cells hidden."""
    return [analyst, worker, outsider]


def shown(cell) -> bool:
    return str(cell).replace(",", "").isdigit()


def attack(total, parts: list, where: str, *, own: list[bool] | None = None) -> None:
    """Fail when exactly one cell of ``total = sum(parts)`` is hidden: it would be the
    total minus the others. ``own``: which parts are of the user's own area; a hidden
    total made only of those (and zeros) tells the user nothing they do not know."""
    members = [total, *parts]
    hidden = [m for m in members if not shown(m)]
    own = own or [False] * len(parts)
    if hidden == [total] and all(mine or p == "0" for p, mine in zip(parts, own, strict=True)):
        return
    assert len(hidden) != 1, f"{where}: {total} = {parts} gives the hidden cell back"
    if not hidden:  # nothing hidden: the published numbers must add up as assumed
        assert int(str(total).replace(",", "")) == sum(int(str(p).replace(",", "")) for p in parts)


def own_area(user, code: str) -> bool:
    return user.reads_personal_data and code.startswith(user.scope_code)


def attack_area(user, this: dict, children: list, subsets: list, dims: dict, where: str):
    """Every sum of an area's report: each count of the area is that count of the areas
    under it; its poor are its subsets, its poor in a dimension the subsets that include
    the dimension. ``dims``: the area's poor per dimension name."""
    own = [own_area(user, c["code"]) for c in children]
    if children:
        for column in ("n", "q", "target_poor"):
            attack(this[column], [c[column] for c in children], f"{where} {column}", own=own)
    attack(this["q"], [s["poor"] for s in subsets], f"{where} subsets")
    for name, poor in dims.items():
        parts = [s["poor"] for s in subsets if name in s["dimensions"]]
        attack(poor, parts, f"{where} poor in {name}")


def test_no_hidden_cell_of_an_area_page_can_be_derived(client, run, readers):
    for user in readers:
        client.force_login(user)
        todo = [""]
        while todo:
            code = todo.pop()
            url = f"/targeting/runs/{run.pk}/areas/{code + '/' if code else ''}"
            ctx = client.get(url).context
            dims = {d["name"]: d["poor"] for d in ctx["dimensions"]}
            attack_area(user, ctx["this"], ctx["children"], ctx["subsets"], dims, f"{user} {url}")
            todo += [c["code"] for c in ctx["children"]]


def test_no_hidden_cell_of_the_areas_api_can_be_derived(run, readers):
    for user in readers:
        client = APIClient()
        client.force_authenticate(user)
        todo = [""]
        while todo:
            code = todo.pop()
            base = f"/api/targeting/runs/{run.pk}"
            body = client.get(f"{base}/areas/?code={code}").json()
            subsets = client.get(f"{base}/subsets/?code={code}").json()
            # The API names a subset by its label ("health+income"), not a list of names.
            for s in subsets:
                s["dimensions"] = s["label"].split("+")
            where = f"{user} areas {code!r}"
            attack_area(user, body, body["children"], subsets, body["poor_by_dimension"], where)
            own = [own_area(user, c["code"]) for c in body["children"]]
            for column in body["poor_by_dimension"]:
                parts = [c["poor_by_dimension"][column] for c in body["children"]]
                if parts:
                    attack(body["poor_by_dimension"][column], parts, f"{where} {column}", own=own)
            todo += [c["code"] for c in body["children"]]


def test_a_hidden_rate_does_not_give_a_withheld_count_back(client, run, worker):
    # Chiang Rai's worker sees the nation's people hidden (Bangkok's one person would be
    # its total minus Chiang Rai's): the nation's rates over its people are hidden too.
    client.force_login(worker)
    this = client.get(f"/targeting/runs/{run.pk}/areas/").context["this"]
    assert not shown(this["n"])
    assert this["H"] is None and this["M0"] is None and this["target_rate_text"] == "–"


def comparison(runs, counts: dict[str, list[int]]) -> yoy.Comparison:
    """A comparison of the nation with provinces "10", "57" and "50" (one count per
    province for each change): enough areas for a lone small cell among large ones."""
    codes = ["10", "50", "57"]
    children = [{"code": c, **{k: counts[k][i] for k in yoy.CHANGES}} for i, c in enumerate(codes)]
    totals = {k: sum(v) for k, v in counts.items()}
    return yoy.Comparison(runs[0], runs[1], "", totals, children)


COUNTS = {  # one small cell per column, and one column with two
    "entered": [3, 12, 7],
    "left": [20, 2, 9],
    "stayed": [40, 30, 50],
    "new": [1, 2, 8],
    "gone": [0, 6, 4],
}


@pytest.fixture
def two_runs(db, data_dir):
    from onehome.targeting.tests import finished

    earlier = finished.finished_run(data_dir, year=2023)
    later = finished.finished_run(
        data_dir, year=2024, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    return earlier, later


def test_no_hidden_cell_of_the_comparison_can_be_derived(client, two_runs, readers, monkeypatch):
    earlier, later = two_runs
    monkeypatch.setattr(yoy, "compare_runs", lambda **kw: comparison(two_runs, COUNTS))
    fake = comparison(two_runs, COUNTS)
    tree = {"": fake.totals, **{c["code"]: c for c in fake.children}}
    monkeypatch.setattr(withheld, "change_counts_by_area", lambda **kw: tree)
    bodies = []
    for user in readers:
        api = APIClient()
        api.force_authenticate(user)
        url = f"/api/targeting/runs/{later.pk}/compare/?earlier={earlier.pk}&area="
        body = api.get(url).json()
        bodies.append(body)
        for k in yoy.CHANGES:
            attack(body["totals"][k], [c[k] for c in body["children"]], f"{user} API {k}")
        client.force_login(user)
        ctx = client.get(f"/targeting/compare/?earlier={earlier.pk}&later={later.pk}&area=").context
        cards = {card["key"]: card["count"] for card in ctx["cards"]}
        for k in yoy.CHANGES:
            attack(cards[k], [r[k] for r in ctx["rows"]], f"{user} page {k}")
    # The analyst's: hiding is not overdone, a column with two small cells keeps the rest
    # shown; a lone small cell takes the next smallest with it.
    children = {c["code"]: c for c in bodies[0]["children"]}
    assert children["10"]["new"] == "<5" and children["57"]["new"] == "8"
    assert children["10"]["entered"] == "<5" and children["57"]["entered"] == "–"
    assert children["50"]["entered"] == "12" and bodies[0]["totals"]["entered"] == "22"


def test_own_area_counts_stay_exact(client, run, worker):
    # Inside their province the worker still sees every count exactly.
    client.force_login(worker)
    ctx = client.get(f"/targeting/runs/{run.pk}/areas/57/").context
    assert ctx["this"]["q"] == "3" and not ctx["small_cells_hidden"]
    assert Run.objects.filter(pk=run.pk).exists()


def many_people(poor: tuple[int, ...] = (3, 20, 30, 12)) -> pd.DataFrame:
    """Chiang Rai's districts 5701, 5702, 5703 with 3, 20 and 30 poor people, each in a
    village of their own sub-district, and Bangkok with 12: a lone small district whose
    complement, hidden on the province's page, is the total of its own page."""
    from onehome.targeting.tests.finished import person, thai_id

    rows, serial = [], 0
    villages = ["57010101", "57020201", "57030101", "10010101"]
    for village, poor_here in zip(villages, poor, strict=True):
        for i in range(40):  # the same 40 people each year; the first ``poor_here`` poor
            serial += 1
            key = thai_id(f"3{village}{serial:03d}")
            income = 10_000.0 if i < poor_here else 90_000.0
            rows.append(person(f"H{serial}", village, key, 40, "female",
                               bmn22_income_per_person=income))  # fmt: skip
    return pd.DataFrame(rows)


def published_cells(client, api, run) -> tuple[dict, list]:
    """Every count the user can read about ``run``, from every area page and the areas
    and subsets API, keyed (area, column); and every sum those tables publish."""
    seen: dict[tuple[str, str], set[str]] = {}
    sums: list[tuple[tuple, list[tuple]]] = []

    def note(key, value):
        seen.setdefault(key, set()).add(str(value))

    todo = [""]
    while todo:
        code = todo.pop()
        ctx = client.get(f"/targeting/runs/{run.pk}/areas/{code + '/' if code else ''}").context
        base = f"/api/targeting/runs/{run.pk}"
        body = api.get(f"{base}/areas/?code={code}").json()
        subsets = api.get(f"{base}/subsets/?code={code}").json()
        for column in ("n", "q", "target_poor"):
            note((code, column), ctx["this"][column])
            note((code, column), body[column])
            for row in [*ctx["children"], *body["children"]]:
                note((row["code"], column), row[column])
            sums.append(((code, column), [(c["code"], column) for c in body["children"]]))
        for d in ctx["dimensions"]:
            note((code, f"poor_in_{d['name']}"), d["poor"])
        for name, value in body["poor_by_dimension"].items():
            note((code, f"poor_in_{name}"), value)
            for row in body["children"]:
                note((row["code"], f"poor_in_{name}"), row["poor_by_dimension"][name])
            parts = [(c["code"], f"poor_in_{name}") for c in body["children"]]
            sums.append(((code, f"poor_in_{name}"), parts))
            parts = [(code, s["label"]) for s in subsets if name in s["label"].split("+")]
            sums.append(((code, f"poor_in_{name}"), parts))
        for s in ctx["subsets"]:
            note((code, s["label"]), s["poor"])
        for s in subsets:
            note((code, s["label"]), s["poor"])
        sums.append(((code, "q"), [(code, s["label"]) for s in subsets]))
        todo += [c["code"] for c in body["children"]]
    return seen, sums


def test_no_hidden_cell_can_be_derived_by_combining_pages(client, data_dir, readers):
    # One page may hide a district as the complement of a small one while the district's
    # own page shows it as its total: the two pages together give the small one back.
    # Every page and endpoint must hide the same cells, so the union of all they show
    # still leaves every sum with no hidden cell or at least two.
    from onehome.targeting.tests import finished

    run = finished.finished_run(data_dir, frame=many_people(), name="districts")
    for user in readers:
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        seen, sums = published_cells(client, api, run)
        combined_attack(user, seen, sums)


def combined_attack(user, seen: dict, sums: list) -> None:
    """Fail when a sum has exactly one cell that no page or endpoint showed: the others,
    gathered from all of them, give it back. A hidden total whose parts are all the user's
    own or zero gives back only what they know (as `attack`)."""
    known = {key for key, values in seen.items() if any(shown(v) for v in values)}
    zero = {key for key, values in seen.items() if "0" in values}
    for total, parts in sums:
        if not parts:  # nothing published under it (a village's subsets)
            continue
        unknown = [m for m in (total, *parts) if m not in known]
        if unknown == [total] and all(own_area(user, p[0]) or p in zero for p in parts):
            continue
        assert len(unknown) != 1, f"{user}: {total} = {parts} gives {unknown[0]} back"


def test_no_hidden_change_can_be_derived_by_combining_comparison_pages(client, data_dir, readers):
    # The comparison of every area, page and API, combined: the same cells hidden on all.
    from onehome.targeting.tests import finished

    earlier = finished.finished_run(data_dir, year=2023, frame=many_people((3, 20, 30, 12)))
    later = finished.finished_run(data_dir, year=2024, frame=many_people((1, 24, 30, 9)))
    for user in readers:
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        seen: dict[tuple[str, str], set[str]] = {}
        sums = []
        todo = [""]
        while todo:
            code = todo.pop()
            url = f"/api/targeting/runs/{later.pk}/compare/?earlier={earlier.pk}&area={code}"
            body = api.get(url).json()
            page = client.get(
                f"/targeting/compare/?earlier={earlier.pk}&later={later.pk}&area={code}"
            ).context
            for k in yoy.CHANGES:
                seen.setdefault((code, k), set()).add(str(body["totals"][k]))
                for row in [*body["children"], *page["rows"]]:
                    seen.setdefault((row["code"], k), set()).add(str(row[k]))
                if body["children"]:
                    sums.append(((code, k), [(c["code"], k) for c in body["children"]]))
            cards = {card["key"]: str(card["count"]) for card in page["cards"]}
            for k, value in cards.items():
                seen[(code, k)].add(value)
            todo += [c["code"] for c in body["children"]]
        combined_attack(user, seen, sums)
