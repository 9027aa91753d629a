"""Survey-round import: a valid file is loaded as one normalised Parquet file and registered;
any problem anywhere in the file loads nothing and is reported by row, column and value."""

from __future__ import annotations

import random

import duckdb
import pytest
from stdnum.th import pin

from onehome.access.models import AuditEvent, Role
from onehome.errors import DuplicateError, ValidationError
from onehome.targeting.engine.village_totals import read_summary, summary_path
from onehome.targeting.imports import import_steps
from onehome.targeting.imports.import_steps import ImportRejected
from onehome.targeting.imports.survey_rounds import import_survey_round
from onehome.targeting.models import SurveyRound
from onehome.targeting.tests.rounds import thai_id, tpmap_people, write

# Messages are asserted in English (Thai is the default language).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return settings.ONEHOME_DATA_DIR


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def rejected(frame, tmp_path, suffix=".csv", **kw) -> ImportRejected:
    path = write(frame, tmp_path / f"round{suffix}")
    with pytest.raises(ImportRejected) as caught:
        import_survey_round(actor=None, path=path, year=2024, **kw)
    assert SurveyRound.objects.count() == 0
    return caught.value


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_valid_round_is_stored_as_normalised_parquet_and_registered(tmp_path, data_dir, suffix):
    frame = tpmap_people(40)
    path = write(frame, tmp_path / f"round{suffix}")
    stages = []
    survey_round = import_survey_round(
        actor=None, path=path, year=2024, name="CR 2567", progress=lambda s, f: stages.append(f)
    )
    assert survey_round.rows == len(frame)
    assert survey_round.households == frame.household_id.nunique()
    assert survey_round.name == "CR 2567" and survey_round.catalogue == "tpmap_2018"
    assert stages[0] == 0.0 and stages[-1] == 1.0 and stages == sorted(stages)
    stored = duckdb.execute("SELECT * FROM read_parquet(?)", [str(survey_round.path)]).df()
    assert len(stored) == len(frame)
    assert stored.age.dtype.name == "int16" and stored.bmn04_safe_food.dtype.name == "bool"
    assert sorted(stored.person_key) == sorted(frame.person_key)
    assert list(stored.village_code) == sorted(stored.village_code)
    # The run-ready columns: each person's household size, and the key as a number when it
    # is a national ID.
    sizes = stored.groupby("household_id")["household_id"].transform("size")
    assert (stored._household_size == sizes).all()
    numeric = stored.person_key.str.fullmatch(r"[0-9]{13}").fillna(False)
    assert (stored._id_number[numeric] == stored.person_key[numeric].astype("int64")).all()
    assert stored._id_number[~numeric].isna().all() and numeric.any() and not numeric.all()
    assert (stored._village_number == stored.village_code.astype("int64")).all()
    # The packed answers: bit i for the i-th boolean column, set when it is false (blank).
    answers = [c for c in stored.columns if stored[c].dtype.name == "bool"]
    assert answers[:2] == ["bmn01_newborn_weight_ok", "bmn04_safe_food"]
    packed = stored._false_answers.to_numpy()
    for i, column in enumerate(answers):
        assert ((packed >> i & 1) == (~stored[column]).astype(int)).all()
    assert (stored._blank_answers == 0).all() and (stored._false_answers != 0).any()
    # The per-village summary beside the round: people and households per village.
    summary = read_summary(survey_round.path)
    per_village = frame.groupby("village_code").agg(
        all_rows=("household_id", "size"), households=("household_id", "nunique")
    )
    assert summary.set_index("village_code").sort_index().to_dict() == per_village.to_dict()
    assert files_in(data_dir) == sorted(
        [
            survey_round.parquet_path,
            summary_path(survey_round.path).relative_to(data_dir).as_posix(),
        ]
    )
    assert AuditEvent.objects.filter(
        object_type="targeting.surveyround", object_id=str(survey_round.pk)
    ).exists()


@pytest.mark.django_db
def test_a_round_that_cannot_be_registered_leaves_no_file(tmp_path, data_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(import_steps, "_create_audited", refuse)
    with pytest.raises(RuntimeError):
        import_survey_round(actor=None, path=write(tpmap_people(10), tmp_path / "r.csv"), year=2024)
    assert files_in(data_dir) == [] and SurveyRound.objects.count() == 0


@pytest.mark.django_db
def test_every_bad_cell_is_reported_by_row_and_nothing_is_loaded(tmp_path, data_dir):
    frame = tpmap_people(10).astype({"age": "object", "bmn04_safe_food": "object"})
    frame["household_id"] = [f"H{i}" for i in range(len(frame))]  # moving one moves no other
    frame.loc[0, "village_code"] = "57019901"  # 570199 is not a sub-district
    frame.loc[1, "village_code"] = "57010102"  # 570101 has villages; 02 is not one of them
    frame.loc[2, "village_code"] = "5701010"
    frame.loc[3, "person_key"] = "3100600445636"  # wrong check digit
    frame.loc[4, "person_key"] = "HH1-2"  # neither an ID nor prefixed
    frame.loc[5, "age"] = 121
    frame.loc[6, "age"] = "forty"
    frame.loc[7, "sex"] = "man"
    frame.loc[8, "bmn04_safe_food"] = "maybe"
    frame.loc[9, "bmn22_income_per_person"] = -5
    error = rejected(frame, tmp_path)
    found = {(e.row, e.column) for e in error.errors}
    assert found == {
        (1, "village_code"),
        (2, "village_code"),
        (3, "village_code"),
        (4, "person_key"),
        (5, "person_key"),
        (6, "age"),
        (7, "age"),
        (8, "sex"),
        (9, "bmn04_safe_food"),
        (10, "bmn22_income_per_person"),
    }
    by_row = {e.row: e for e in error.errors}
    assert by_row[6].value == "121" and "120" in by_row[6].message
    assert by_row[8].value == "man"
    assert error.error_count == 10
    assert files_in(data_dir) == []


@pytest.mark.django_db
def test_village_numbers_are_accepted_where_no_villages_are_registered(tmp_path):
    frame = tpmap_people(3)
    frame["village_code"] = "57010299"  # 570102 has no villages registered: 99 is plausible
    assert import_survey_round(actor=None, path=write(frame, tmp_path / "r.csv"), year=2024)
    frame["village_code"] = "57010200"
    with pytest.raises(ImportRejected) as caught:
        import_survey_round(actor=None, path=write(frame, tmp_path / "r.csv"), year=2024)
    assert {e.column for e in caught.value.errors} == {"village_code"}
    assert SurveyRound.objects.count() == 1


@pytest.mark.django_db
def test_repeated_people_and_split_households_are_refused(tmp_path):
    frame = tpmap_people(6)
    frame.loc[4, "person_key"] = frame.loc[1, "person_key"]
    other = frame.household_id == frame.household_id.iloc[0]
    frame.loc[other[other].index[-1], "village_code"] = "57010305"
    frame.loc[frame.household_id == frame.household_id.iloc[0], "village_code"] = "57010305"
    frame.loc[0, "village_code"] = "57010101"
    error = rejected(frame, tmp_path)
    messages = {e.column: e for e in error.errors}
    assert messages["person_key"].row == 5 and "row 2" in messages["person_key"].message
    assert "household_id" in messages


@pytest.mark.django_db
def test_only_the_first_thousand_errors_are_listed_but_all_are_counted(tmp_path):
    frame = tpmap_people(500, seed=3)
    assert len(frame) > 1200
    frame["sex"] = "x"
    error = rejected(frame, tmp_path, suffix=".parquet")
    assert len(error.errors) == import_steps.MAX_REPORTED_ERRORS
    assert error.error_count == len(frame)
    assert [t.count for t in error.totals] == [len(frame)]


@pytest.mark.django_db
def test_missing_columns_are_one_clear_message(tmp_path):
    frame = tpmap_people(2).drop(columns=["age", "bmn09_drinking_water_ok"])
    with pytest.raises(ValidationError) as caught:
        import_survey_round(actor=None, path=write(frame, tmp_path / "r.csv"), year=2024)
    assert not isinstance(caught.value, ImportRejected)
    assert "age" in caught.value.message and "bmn09_drinking_water_ok" in caught.value.message


@pytest.mark.django_db
def test_a_parquet_column_of_the_wrong_type_is_one_clear_message(tmp_path):
    frame = tpmap_people(2)
    frame["age"] = frame["age"].map(lambda _a: __import__("datetime").date(2000, 1, 1))
    with pytest.raises(ValidationError, match=r"age \(DATE\)"):
        import_survey_round(actor=None, path=write(frame, tmp_path / "r.parquet"), year=2024)


@pytest.mark.django_db
def test_unreadable_and_unknown_files_are_refused(tmp_path):
    junk = tmp_path / "r.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(ValidationError, match="cannot be read"):
        import_survey_round(actor=None, path=junk, year=2024)
    with pytest.raises(ValidationError, match="not found"):
        import_survey_round(actor=None, path=tmp_path / "none.csv", year=2024)
    (tmp_path / "r.xlsx").write_bytes(b"x")
    with pytest.raises(ValidationError, match=".csv or .parquet"):
        import_survey_round(actor=None, path=tmp_path / "r.xlsx", year=2024)


@pytest.mark.django_db
def test_the_same_file_is_not_imported_twice(tmp_path):
    path = write(tpmap_people(3), tmp_path / "r.csv")
    first = import_survey_round(actor=None, path=path, year=2024)
    with pytest.raises(DuplicateError) as caught:
        import_survey_round(actor=None, path=path, year=2024)
    assert caught.value.existing == first


@pytest.mark.django_db
def test_a_provincial_round_holds_only_its_province(tmp_path):
    frame = tpmap_people(3)
    first = frame.household_id == frame.household_id[0]
    frame.loc[first, "village_code"] = "10010101"
    error = rejected(frame, tmp_path, province="57")
    assert {(e.column, e.value) for e in error.errors} == {("village_code", "10010101")}
    assert error.error_count == first.sum()


@pytest.mark.django_db
def test_only_analysts_and_admins_import(tmp_path, worker, make_user):
    from django.core.exceptions import PermissionDenied

    path = write(tpmap_people(2), tmp_path / "r.csv")
    with pytest.raises(PermissionDenied):
        import_survey_round(actor=worker, path=path, year=2024)
    analyst = make_user(Role.ANALYST)
    assert import_survey_round(actor=analyst, path=path, year=2024).imported_by == analyst


def test_the_sql_thai_id_check_agrees_with_stdnum():
    rng = random.Random(5)
    numbers = [thai_id() for _ in range(200)]
    numbers += ["".join(rng.choice("0123456789") for _ in range(13)) for _ in range(2000)]
    expression = import_steps.thai_id_valid("n")
    con = duckdb.connect()
    con.execute("CREATE TABLE ids (n VARCHAR)")
    con.executemany("INSERT INTO ids VALUES (?)", [[n] for n in numbers])
    got = dict(con.execute(f"SELECT n, {expression} FROM ids").fetchall())  # noqa: S608
    assert got == {n: pin.is_valid(n) for n in numbers}
    assert sum(got.values()) > 200  # random numbers pass ~1 in 10 times


@pytest.mark.django_db
def test_sex_codes_are_normalised_and_a_person_key_may_be_unknown(tmp_path):
    frame = tpmap_people(4).head(4).copy()
    frame["sex"] = ["M", "f", "ชาย", "U"]
    frame.loc[1, "person_key"] = ""
    survey_round = import_survey_round(actor=None, path=write(frame, tmp_path / "r.csv"), year=2024)
    stored = duckdb.execute(
        "SELECT source_row, sex, person_key FROM read_parquet(?) ORDER BY source_row",
        [str(survey_round.path)],
    ).fetchall()
    assert [row[1] for row in stored] == ["male", "female", "male", "unknown"]
    assert stored[1][2] is None
