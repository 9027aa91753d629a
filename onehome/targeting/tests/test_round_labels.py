"""Labels, not codes (issue 15): survey rounds are named as people name them ("รอบสำรวจ
จปฐ. ปี 2567", Buddhist era in Thai), with the province of a provincial round, on the
targeting pages and in the start-run form, whatever name they were imported under."""

from django.utils import translation

from onehome.access.models import Role
from onehome.targeting.models import SurveyRound
from onehome.targeting.pages.forms import StartRunForm
from onehome.targeting.results.labels import round_label


def test_round_label_in_thai_and_english(run):
    survey_round = run.survey_round
    with translation.override("th"):
        assert round_label(survey_round) == "รอบสำรวจ จปฐ. ปี 2567"
    with translation.override("en"):
        assert round_label(survey_round) == "BMN survey round 2024"
    SurveyRound.objects.filter(pk=survey_round.pk).update(province_id="57")
    survey_round.refresh_from_db()
    with translation.override("th"):
        assert round_label(survey_round) == "รอบสำรวจ จปฐ. ปี 2567 · เชียงราย"


def test_pages_and_the_run_form_name_rounds(client, run, make_user):
    client.force_login(make_user(Role.ANALYST, level="nation", code=""))
    for url in (f"/targeting/runs/{run.pk}/areas/", "/targeting/", "/targeting/compare/"):
        body = client.get(url).content.decode()
        assert "รอบสำรวจ จปฐ. ปี 2567" in body, url
    with translation.override("th"):
        choices = [label for _value, label in StartRunForm().fields["survey_round"].choices]
    assert "รอบสำรวจ จปฐ. ปี 2567 · test 2024" in choices
