"""Reads of the registered survey rounds and welfare-card lists (the ORM rows; the files
themselves are read by runs and results). Rounds and lists are aggregates' inputs, not
personal data: who may see them is decided by the caller (`roles.reads_targeting`)."""

from __future__ import annotations

from django.db.models import QuerySet

from onehome.targeting.models import SurveyRound, WelfareCardList


def survey_rounds() -> QuerySet[SurveyRound]:
    """Every registered survey round, newest first (the model's ordering)."""
    return SurveyRound.objects.select_related("province")


def welfare_lists() -> QuerySet[WelfareCardList]:
    """Every registered welfare-card list, newest first (the model's ordering)."""
    return WelfareCardList.objects.all()


def survey_round_by_id(round_id: int) -> SurveyRound | None:
    return SurveyRound.objects.select_related("province").filter(pk=round_id).first()


def welfare_list_by_id(list_id: int) -> WelfareCardList | None:
    return WelfareCardList.objects.filter(pk=list_id).first()
