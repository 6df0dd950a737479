"""An SPKP and an SPAK round beside the SKM (issue 20 points 4, 5 and 7): answers
stored per instrument, tallied per item and jenis layanan, the index computed
exactly. Every expected NRR and index below is worked out by hand, as fractions.

SPAK: five items AK1..AK5, scale 1-6, weight 1/5 each; index = sum(w x NRR) x 100 / 6.
SPKP: eight items KP1..KP8, scale 1-6, weight 1/8 each.
"""

import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from skm.rules.ikm import WeightMode
from surveys.importing import ImportFileError
from surveys.models import ItemTally, Response, SurveyRound
from surveys.results_instruments import instrument_results_get
from surveys.selectors import ikm_for
from surveys.selectors_rounds import publication_open_data, publication_result
from surveys.services import import_batch_create, response_create_paper, response_delete
from surveys.services_rounds import round_close, round_open, round_publish, round_set_instruments
from surveys.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

SPAK = {
    # jenis layanan KTP
    "r1": ("KTP", {"AK1": 6, "AK2": 5, "AK3": None, "AK4": 6, "AK5": 4}),
    "r2": ("KTP", {"AK1": 5, "AK2": 5, "AK3": 6, "AK4": None, "AK5": 3}),
    # jenis layanan KK: AK5 left blank by its only respondent
    "r3": ("KK", {"AK1": 4, "AK2": 6, "AK3": 6, "AK4": 5, "AK5": None}),
}
SPKP = {
    "r1": {"KP1": 6, "KP2": 6, "KP3": 5, "KP4": 5, "KP5": 4, "KP6": 6, "KP7": 5, "KP8": 6},
    "r2": {"KP1": 5, "KP2": None, "KP3": 5, "KP4": 6, "KP5": 6, "KP6": 6, "KP7": 4, "KP8": 5},
    "r3": {"KP1": 4, "KP2": 5, "KP3": None, "KP4": 6, "KP5": 5, "KP6": 5, "KP7": 6, "KP8": 6},
}


@pytest.fixture
def zi_round(unit, period, alice, during_period):
    services = {name: ServiceFactory(unit=unit, name=name) for name in ("KTP", "KK")}
    rnd = round_set_instruments(
        round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPKP", "SPAK"]
    )
    for key, (service, spak) in SPAK.items():
        response_create_paper(
            unit=unit,
            period=period,
            user=alice,
            service=services[service],
            answers={"U1": 4},
            more={"SPAK": spak, "SPKP": SPKP[key]},
        )
    return rnd


def test_round_asks_the_skm_first_then_the_chosen_instruments(zi_round):
    assert zi_round.instrument_codes == ("SKM", "SPKP", "SPAK")
    assert SurveyRound.objects.get(pk=zi_round.pk).instruments == ["SKM", "SPKP", "SPAK"]


def test_answers_are_stored_per_instrument_in_item_order(zi_round):
    row = Response.objects.order_by("id").first()
    assert row.scores["SPAK"] == [6, 5, None, 6, 4]
    assert row.scores["SPKP"] == [6, 6, 5, 5, 4, 6, 5, 6]
    assert row.answers("SPAK") == {"AK1": 6, "AK2": 5, "AK3": None, "AK4": 6, "AK5": 4}


def test_spak_item_nrr_and_index_by_hand(zi_round, unit, period):
    results = instrument_results_get(unit=unit, period=period, instrument="SPAK")
    pooled = results.pooled
    assert pooled.respondents == 3
    # AK1 (6+5+4)/3, AK2 (5+5+6)/3, AK3 (6+6)/2 (r1 blank), AK4 (6+5)/2 (r2 blank), AK5 (4+3)/2 (r3 blank).
    assert [i.nrr for i in pooled.items] == [
        Fraction(15, 3),
        Fraction(16, 3),
        Fraction(12, 2),
        Fraction(11, 2),
        Fraction(7, 2),
    ]
    assert [i.weight for i in pooled.items] == [Fraction(1, 5)] * 5
    # (1/5)(5 + 16/3 + 6 + 11/2 + 7/2) x 100/6 = (76/15) x 100/6 = 760/9 = 84,444...
    assert pooled.index_exact == Fraction(760, 9)
    assert pooled.index == Decimal("84.44")
    assert pooled.grade == "B"
    per_service = dict(results.services)
    # KTP: AK1 11/2, AK2 5, AK3 6, AK4 6, AK5 7/2 -> (1/5)(26) x 100/6 = 260/3 = 86,666...
    assert per_service["KTP"].index_exact == Fraction(260, 3)
    assert per_service["KTP"].index == Decimal("86.67")
    # KK: its one respondent left AK5 blank, so no index (never a mean over fewer items).
    assert per_service["KK"].respondents == 1
    assert per_service["KK"].by_code("AK5").nrr is None
    assert per_service["KK"].index is None


def test_spkp_item_nrr_and_index_by_hand(zi_round, unit, period):
    pooled = instrument_results_get(unit=unit, period=period, instrument="SPKP").pooled
    assert [i.nrr for i in pooled.items] == [
        Fraction(15, 3),  # KP1 6+5+4
        Fraction(11, 2),  # KP2 6+5 (r2 blank)
        Fraction(10, 2),  # KP3 5+5 (r3 blank)
        Fraction(17, 3),  # KP4 5+6+6
        Fraction(15, 3),  # KP5 4+6+5
        Fraction(17, 3),  # KP6 6+6+5
        Fraction(15, 3),  # KP7 5+4+6
        Fraction(17, 3),  # KP8 6+5+6
    ]
    # sum of NRR = 20 + 11/2 + 17 = 85/2; x 1/8 x 100/6 = 2125/24 = 88,5416...
    assert pooled.index_exact == Fraction(2125, 24)
    assert (pooled.index, pooled.grade) == (Decimal("88.54"), "A")
    ktp = dict(instrument_results_get(unit=unit, period=period, instrument="SPKP").services)["KTP"]
    # KTP: 11/2 + 6 + 5 + 11/2 + 5 + 6 + 9/2 + 11/2 = 43; x 1/8 x 100/6 = 1075/12 = 89,583...
    assert ktp.index_exact == Fraction(1075, 12)


def test_the_skm_is_unchanged_by_other_instruments(zi_round, unit, period):
    result = ikm_for(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert result.respondents == 3
    u1 = result.unsur[0]
    assert (u1.total, u1.answered) == (12, 3)
    assert all(u.answered == 0 for u in result.unsur[1:])


def test_tallies_per_instrument_item_and_point(zi_round, unit, period):
    ktp = ItemTally.objects.get(unit=unit, period=period, service__name="KTP", instrument="SPAK", item=5)
    # AK5 in KTP: answers 4 and 3.
    assert (ktp.answered, ktp.total, ktp.n3, ktp.n4, ktp.n6) == (2, 7, 1, 1, 0)
    respondents = ItemTally.objects.get(unit=unit, period=period, service__name="KK", instrument="SPAK", item=0)
    assert respondents.answered == 1


def test_deleting_a_response_removes_it_from_every_instrument(zi_round, unit, period, alice):
    first = Response.objects.order_by("id").first()
    response_delete(response=first, user=alice, reason="salah entri")
    pooled = instrument_results_get(unit=unit, period=period, instrument="SPAK").pooled
    # Without r1: AK1 (5+4)/2, AK2 (5+6)/2, AK3 (6+6)/2, AK4 5/1, AK5 3/1.
    assert pooled.respondents == 2
    assert [i.nrr for i in pooled.items] == [Fraction(9, 2), Fraction(11, 2), 6, 5, 3]


def test_publication_freezes_each_instrument(zi_round, unit, period, alice):
    round_close(round=zi_round, user=alice)
    publication = round_publish(round=SurveyRound.objects.get(pk=zi_round.pk), user=alice, weight_mode=WeightMode.EXACT)
    published = publication_result(publication)
    spak = next(r for r in published.instruments if r.instrument.code == "SPAK")
    assert (spak.respondents, spak.index_exact) == (3, Fraction(760, 9))
    rows = publication_open_data(unit_ids=[unit.pk])
    by_code = {r["code"]: r for r in rows[0]["instruments"]}
    assert by_code["SPAK"]["index"] == "84.44" and by_code["SPAK"]["respondents"] == 3
    assert by_code["SPKP"]["index"] == "88.54" and by_code["SPKP"]["grade"] == "A"
    assert [i["nrr"] for i in by_code["SPAK"]["items"]] == ["5.000", "5.333", "6.000", "5.500", "3.500"]
    # Answers after the publication change the live tallies, never the frozen version.
    round_open(unit=unit, period=period, user=alice)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 1}, more={"SPAK": {"AK1": 1}})
    again = publication_result(publication)
    assert next(r for r in again.instruments if r.instrument.code == "SPAK").index_exact == Fraction(760, 9)


def test_an_instrument_with_answers_cannot_be_dropped(zi_round, alice):
    with pytest.raises(ValidationError) as caught:
        round_set_instruments(round=zi_round, user=alice, instruments=["SPKP"])
    assert "SPAK sudah memiliki jawaban" in " ".join(caught.value.messages)
    assert SurveyRound.objects.get(pk=zi_round.pk).instruments == ["SKM", "SPKP", "SPAK"]


def test_unknown_instrument_is_refused_in_indonesian(unit, period, alice):
    with pytest.raises(ValidationError) as caught:
        round_open(unit=unit, period=period, user=alice, instruments=["SPAX"])
    assert caught.value.messages == ["Instrumen 'SPAX' tidak dikenal. Pilih salah satu: SKM, SPKP, SPAK."]
    rnd = SurveyRound.objects.get(unit=unit, period=period)
    with pytest.raises(ValidationError) as caught:
        round_set_instruments(round=rnd, user=alice, instruments=["SPAK", "SPAX"])
    assert caught.value.messages == ["Instrumen 'SPAX' tidak dikenal. Pilih salah satu: SKM, SPKP, SPAK."]


def test_import_of_an_instrument_uses_its_item_codes(zi_round, unit, period, alice):
    data = b"layanan;AK1;AK2;AK3;AK4;AK5\nKTP;6;6;6;6;6\nKK;1;;2;3;4\n"
    batch = import_batch_create(
        fh=io.BytesIO(data), filename="spak.csv", unit=unit, period=period, user=alice, instrument="SPAK"
    ).batch
    rows = list(Response.objects.filter(import_batch=batch).order_by("id").values_list("scores", flat=True))
    assert rows == [{"SPAK": [6, 6, 6, 6, 6]}, {"SPAK": [1, None, 2, 3, 4]}]
    # The SKM does not count them: they answered the SPAK only.
    assert ikm_for(unit=unit, period=period, weight_mode=WeightMode.EXACT).respondents == 3
    assert instrument_results_get(unit=unit, period=period, instrument="SPAK").respondents == 5


def test_import_refuses_bad_scores_and_missing_columns(zi_round, unit, period, alice):
    bad = b"AK1;AK2;AK3;AK4;AK5\n7;1;1;1;1\n"
    with pytest.raises(ImportFileError) as caught:
        import_batch_create(
            fh=io.BytesIO(bad), filename="a.csv", unit=unit, period=period, user=alice, instrument="SPAK"
        )
    assert caught.value.errors == ["baris 2, kolom AK1: nilai '7' tidak valid (1-6)"]
    missing = b"AK1;AK2\n1;2\n"
    with pytest.raises(ImportFileError) as caught:
        import_batch_create(
            fh=io.BytesIO(missing), filename="b.csv", unit=unit, period=period, user=alice, instrument="SPAK"
        )
    assert "baris 1: kolom AK3 tidak ada (kolom AK1 sampai AK5 wajib)" in caught.value.errors
    assert not Response.objects.filter(channel="impor").exists()


def test_import_refuses_an_instrument_the_round_does_not_ask(unit, period, alice, during_period):
    data = b"AK1;AK2;AK3;AK4;AK5\n1;1;1;1;1\n"
    with pytest.raises(ImportFileError) as caught:
        import_batch_create(
            fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice, instrument="SPAK"
        )
    assert "instrumen SPAK tidak ditanyakan" in caught.value.errors[0]


def test_commands_open_a_round_and_print_an_instrument(unit, period, tmp_path, capsys):
    call_command("skm_round", "open", "--unit", unit.code, "--period", period.code, "--instrument", "SPAK", "--json")
    assert json.loads(capsys.readouterr().out)["instruments"] == ["SKM", "SPAK"]
    path = tmp_path / "spak.csv"
    path.write_text("AK1;AK2;AK3;AK4;AK5\n6;5;4;3;2\n4;5;6;None;\n".replace("None", ""), encoding="utf-8")
    call_command("skm_import", str(path), "--unit", unit.code, "--period", period.code, "--instrument", "SPAK")
    capsys.readouterr()
    call_command("skm_ikm", "--unit", unit.code, "--period", period.code, "--instrument", "SPAK", "--json")
    got = json.loads(capsys.readouterr().out)
    # AK1 10/2, AK2 10/2, AK3 10/2, AK4 3/1, AK5 2/1: sum 20 -> (1/5)(20) x 100/6 = 200/3 = 66,666...
    assert (got["respondents"], got["index"], got["grade"]) == (2, 66.67, "C")
    assert [(i["code"], i["nrr"], i["nrr_exact"]) for i in got["items"]] == [
        ("AK1", 5.0, "5"),
        ("AK2", 5.0, "5"),
        ("AK3", 5.0, "5"),
        ("AK4", 3.0, "3"),
        ("AK5", 2.0, "2"),
    ]
    with pytest.raises(CommandError, match="Instrumen 'IKMX' tidak dikenal"):
        call_command("skm_ikm", "--unit", unit.code, "--period", period.code, "--instrument", "IKMX")


def test_trend_per_instrument_over_periods(zi_round, unit, period, alice, client):
    from conftest import PASSWORD
    from surveys.results_instruments import instrument_trend_list
    from surveys.tests.factories import PeriodFactory

    earlier = PeriodFactory(code="2024-S1", start_date="2024-01-01", end_date="2024-06-30")
    round_open(unit=unit, period=earlier, user=alice, instruments=["SPAK"])
    response_create_paper(
        unit=unit, period=earlier, user=alice, answers={"U1": 4}, more={"SPAK": dict.fromkeys(SPAK["r1"][1], 3)}
    )
    points = instrument_trend_list(unit=unit, instrument="SPAK")
    # 2024-S1: every item 3 -> (1/5)(15) x 100/6 = 50,00; 2024-S2: 760/9 (above).
    assert [(p.period.code, p.result.respondents, p.result.index_exact) for p in points] == [
        ("2024-S1", 1, Fraction(50)),
        ("2024-S2", 3, Fraction(760, 9)),
    ]
    client.login(username=alice.username, password=PASSWORD)
    html = client.get(reverse("surveys:results", args=[unit.code, period.code])).content.decode()
    assert 'id="tren-spak"' in html and "Tren IPAK per periode" in html
    assert html.index("50,00") < html.index("84,44", html.index('id="tren-spak"'))
