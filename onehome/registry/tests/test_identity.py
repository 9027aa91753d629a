"""Identity numbers and birth dates: what clerks get wrong and what they are told."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.th import pin

from onehome.errors import ValidationError
from onehome.registry.identity import normalise_id, resolve_birth
from onehome.registry.models import IdType

TODAY = dt.date(2026, 11, 21)


def test_a_valid_thai_id_is_kept_without_dashes():
    assert normalise_id(IdType.THAI_ID, "1-1017-00230-70-8") == "1101700230708"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101700230705", "id_checksum"),
        ("110170023070", "id_format"),
        ("0101700230701", "id_format"),
        ("abcdefghijklm", "id_format"),
        ("", "id_number"),
    ],
)
def test_a_bad_thai_id_is_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as err:
        normalise_id(IdType.THAI_ID, number)
    assert err.value.code == code


@given(st.from_regex(r"[1-8][0-9]{11}", fullmatch=True), st.integers(0, 9))
def test_exactly_one_check_digit_makes_a_thai_id_valid(body, digit):
    valid = pin.calc_check_digit(body) == str(digit)
    try:
        normalise_id(IdType.THAI_ID, body + str(digit))
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == valid


def test_stateless_people_register_with_a_zero_prefixed_card_or_no_document():
    body = "012345678901"
    assert normalise_id(
        IdType.NON_THAI_ID, body + pin.calc_check_digit(body)
    ) == body + pin.calc_check_digit(body)
    assert normalise_id(IdType.NONE, "") is None
    with pytest.raises(ValidationError):
        normalise_id(IdType.NONE, "123")
    assert normalise_id(IdType.PASSPORT, "aa 123456") == "AA123456"
    with pytest.raises(ValidationError):
        normalise_id(IdType.PASSPORT, "12")


def test_a_birth_year_in_either_era_is_understood():
    assert resolve_birth(birth_date=None, birth_year=2528, today=TODAY) == (
        dt.date(1985, 7, 1),
        True,
    )
    assert resolve_birth(birth_date=None, birth_year=1985, today=TODAY) == (
        dt.date(1985, 7, 1),
        True,
    )


def test_a_buddhist_era_birth_date_from_a_script_is_moved_to_its_gregorian_year():
    assert resolve_birth(birth_date=dt.date(2510, 3, 12), birth_year=None, today=TODAY) == (
        dt.date(1967, 3, 12),
        False,
    )
    # the year beside the date may be in the other era
    assert resolve_birth(birth_date=dt.date(1967, 3, 12), birth_year=2510, today=TODAY)[0] == (
        dt.date(1967, 3, 12)
    )


@pytest.mark.parametrize("year", [67, 5, 10])
def test_a_two_digit_birth_year_is_asked_again_naming_both_readings(year):
    with pytest.raises(ValidationError) as err:
        resolve_birth(birth_date=None, birth_year=year, today=TODAY)
    assert err.value.code == "ambiguous_birth_year"
    message = str(err.value.messages[0])
    assert f"25{year:02d}" in message or f"24{year:02d}" in message
    assert f"19{year:02d}" in message or f"20{year:02d}" in message


@pytest.mark.parametrize(
    ("birth_date", "birth_year", "code"),
    [
        (dt.date(2026, 12, 1), None, "future_birth"),
        (None, 2027, "future_birth"),
        (None, 1700, "implausible_birth"),
        (dt.date(1967, 3, 12), 1968, "birth_mismatch"),
    ],
)
def test_impossible_birth_dates_are_refused(birth_date, birth_year, code):
    with pytest.raises(ValidationError) as err:
        resolve_birth(birth_date=birth_date, birth_year=birth_year, today=TODAY)
    assert err.value.code == code


def test_only_a_birth_year_is_stored_as_mid_year_and_flagged():
    assert resolve_birth(birth_date=None, birth_year=1967, today=TODAY) == (
        dt.date(1967, 7, 1),
        True,
    )
    assert resolve_birth(birth_date=dt.date(1967, 3, 12), birth_year=None, today=TODAY) == (
        dt.date(1967, 3, 12),
        False,
    )
    assert resolve_birth(birth_date=None, birth_year=None, today=TODAY) == (None, False)
