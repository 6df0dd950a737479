"""Round lifecycle and publication: who and when, the frozen snapshot, versions."""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from skm.rules.ikm import WeightMode
from surveys.models import Response, RoundPublication, ServicePopulation, SurveyRound
from surveys.results import public_results_get
from surveys.services import response_create_paper, response_create_web, response_delete, response_update
from surveys.services_rounds import (
    RoundNotOpen,
    RoundStepRefused,
    round_close,
    round_open,
    round_publish,
    round_set_report_details,
)
from surveys.tests.factories import PeriodFactory, ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ALL4 = {f"U{i}": 4 for i in range(1, 10)}


def test_lifecycle_records_who_and_when(unit, alice, bob):
    period = PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")
    rnd = round_open(unit=unit, period=period, user=alice)
    assert (rnd.status, rnd.opened_by, rnd.created_by) == ("open", alice, alice)
    with pytest.raises(RoundStepRefused, match="sudah dibuka"):
        round_open(unit=unit, period=period, user=alice)
    with pytest.raises(RoundStepRefused, match="harus ditutup dahulu"):
        round_publish(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    rnd = round_close(round=rnd, user=alice)
    assert (rnd.status, rnd.closed_by) == ("closed", alice) and rnd.closed_at is not None
    with pytest.raises(RoundStepRefused):
        round_close(round=rnd, user=alice)
    pub = round_publish(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    rnd.refresh_from_db()
    assert (rnd.status, rnd.published_by, pub.version, pub.published_by) == ("published", bob, 1, bob)
    # Every step is in the round's audit trail, attributed.
    steps = list(rnd.history.order_by("history_id").values_list("status", "history_user__username"))
    assert steps == [("draft", "alice"), ("open", "alice"), ("closed", "alice"), ("published", "bob")]


def test_an_empty_round_cannot_be_published(unit, period, survey_round, alice, bob):
    round_close(round=survey_round, user=alice)
    with pytest.raises(ValidationError, match="belum memiliki responden"):
        round_publish(round=survey_round, user=bob, weight_mode=WeightMode.EXACT)
    assert not RoundPublication.objects.exists()


def test_snapshot_is_frozen_against_new_responses_edits_and_deletes(unit, period, survey_round, alice, bob):
    """Two respondents: all 4s and all 2s -> NRR 3 per unsur, IKM 75,00. After
    publishing, a correction round changes the live data; version 1 keeps 75,00."""
    good = ResponseFactory(
        unit=unit, period=period, channel=Response.Channel.PAPER, number=1, **{f"U{i}": 4 for i in range(1, 10)}
    )
    ResponseFactory(
        unit=unit, period=period, channel=Response.Channel.PAPER, number=2, **{f"U{i}": 2 for i in range(1, 10)}
    )
    round_close(round=survey_round, user=alice)
    v1 = round_publish(round=survey_round, user=bob, weight_mode=WeightMode.EXACT)
    assert (v1.ikm, v1.grade, v1.respondents) == (Decimal("75.00"), "C", 2)
    assert [(u["code"], u["total"], u["answered"]) for u in v1.snapshot["unsur"]][0] == ("U1", 6, 2)

    round_open(unit=unit, period=period, user=alice)  # correction
    response_update(response=good, user=alice, reason="salah baca", answers={"U1": 1})
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    response_delete(response=Response.objects.get(number=2), user=alice, reason="ganda")

    v1.refresh_from_db()
    assert (v1.ikm, v1.respondents) == (Decimal("75.00"), 2)
    assert public_results_get(unit=unit).result.ikm == Decimal("75.00")  # still version 1 in public

    rnd = round_close(round=SurveyRound.objects.get(pk=survey_round.pk), user=alice)
    with pytest.raises(ValidationError, match="Tuliskan apa yang dikoreksi"):
        round_publish(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    v2 = round_publish(round=rnd, user=bob, weight_mode=WeightMode.EXACT, note="Koreksi entri ganda")
    # Now: (1,4,..4) and (4,..4): U1 NRR 2.5, others 4 -> (2.5 + 8*4)/9*25 = 95.8333 -> 95,83
    assert (v2.version, v2.ikm, v2.respondents) == (2, Decimal("95.83"), 2)
    data = public_results_get(unit=unit)
    assert data.result.ikm == Decimal("95.83") and [v.version for v in data.versions] == [2, 1]
    assert public_results_get(unit=unit, period_code="2024-S2", version=1).result.ikm == Decimal("75.00")


def test_publication_keeps_services_population_and_report_date(unit, period, survey_round, alice, bob):
    ktp = ServiceFactory(unit=unit, name="KTP")
    ServicePopulation.objects.create(service=ktp, period=period, population=100)  # K&M: 80
    for _ in range(3):
        ResponseFactory(unit=unit, period=period, service=ktp)
    round_set_report_details(round=survey_round, user=alice, report_date=dt.date(2025, 1, 20), report_place="Salatiga")
    round_close(round=survey_round, user=alice)
    pub = round_publish(round=survey_round, user=bob, weight_mode=WeightMode.EXACT)
    assert pub.report_date == dt.date(2025, 1, 20)
    assert (pub.snapshot["population"], pub.snapshot["required_sample"]) == (100, 80)
    assert [(s["name"], s["respondents"]) for s in pub.snapshot["services"]] == [("KTP", 3)]
    data = public_results_get(unit=unit)
    assert data.below_sample and data.required_sample == 80
    with pytest.raises(RoundStepRefused, match="sudah dipublikasikan"):
        round_set_report_details(round=survey_round, user=alice, report_date=None, report_place="")


def test_report_date_defaults_to_the_close_date_and_cannot_precede_the_period(unit, period, survey_round, alice):
    with pytest.raises(ValidationError, match="sebelum awal periode"):
        round_set_report_details(round=survey_round, user=alice, report_date=dt.date(2024, 6, 30), report_place="")
    assert survey_round.effective_report_date is None  # open: no date yet
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        rnd = round_close(round=survey_round, user=alice)
    assert rnd.effective_report_date == dt.date(2025, 1, 10)


def test_closing_stops_every_channel_and_reopening_restores_staff_channels(
    unit, period, survey_round, alice, during_period
):
    round_close(round=survey_round, user=alice)
    with pytest.raises(RoundNotOpen):
        response_create_web(unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL4)
    with pytest.raises(RoundNotOpen):
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    round_open(unit=unit, period=period, user=alice)
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    response_create_web(unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL4)
    assert Response.objects.count() == 2


def test_opening_one_units_round_opens_nothing_for_another(unit, other_unit, alice):
    period = PeriodFactory(code="2023-S2", start_date="2023-07-01", end_date="2023-12-31")
    round_open(unit=unit, period=period, user=alice)
    with pytest.raises(RoundNotOpen):
        response_create_paper(unit=other_unit, period=period, user=alice, answers=ALL4)
    assert not SurveyRound.objects.filter(unit=other_unit).exists()


def test_the_loser_of_two_simultaneous_publishes_hears_it_is_already_published(unit, period, survey_round, alice, bob):
    """Both supervisors loaded the closed round; the second request waits on the
    row lock, then finds it published: it must say so, not "close it first"."""
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    closed = round_close(round=survey_round, user=alice)
    stale = SurveyRound.objects.get(pk=closed.pk)  # what the loser's request loaded
    round_publish(round=closed, user=bob, weight_mode=WeightMode.EXACT)
    with pytest.raises(RoundStepRefused) as exc:
        round_publish(round=stale, user=alice, weight_mode=WeightMode.EXACT)
    message = " ".join(exc.value.messages)
    assert "sudah dipublikasikan" in message and "versi 1" in message and "harus ditutup" not in message
    assert exc.value.code == "already_published"
    assert RoundPublication.objects.filter(round=survey_round).count() == 1
