"""skm_ikm against the reference survey and hand-computed cases.

Every expected number below comes from the reference JSON (hand arithmetic)
or from the arithmetic written in the comments, never from the code under test.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from surveys.management.commands.skm_ikm import Command
from surveys.models import Response
from surveys.services_tallies import tally_rebuild
from surveys.tests.factories import ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db

UNSUR_FIELDS = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]


def run_json(*args) -> dict:
    out = StringIO()
    call_command("skm_ikm", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def run_argv(capsys, *args):
    """Run like manage.py does, so a CommandError becomes stderr + exit status."""
    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(["manage.py", "skm_ikm", *args])
    return exc.value.code, capsys.readouterr()


def make_responses(unit, period, rows, service=None):
    return [
        ResponseFactory(unit=unit, period=period, service=service, **dict(zip(UNSUR_FIELDS, row, strict=True)))
        for row in rows
    ]


@pytest.mark.parametrize("mode", ["exact", "0.111", "0.11"])
def test_reference_json_matches_expected_field_by_field(unit, period, reference_responses, reference_expected, mode):
    got = run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", mode)
    assert set(got) == {
        "unit",
        "period",
        "layanan",
        "weight",
        "respondents",
        "unsur",
        "ikm",
        "grade",
        "label",
        "priority",
        "layanan_breakdown",
    }
    assert (got["unit"], got["period"], got["layanan"], got["weight"]) == ("pulutan", "2024-S2", None, mode)
    assert got["respondents"] == reference_expected["respondents"] == 50
    assert len(got["unsur"]) == 9
    for have, want in zip(got["unsur"], reference_expected["unsur"], strict=True):
        assert set(have) == {"code", "name", "total", "answered", "nrr", "converted", "grade", "label", "distribution"}
        for key, value in want.items():
            assert have[key] == value, (want["code"], key)
    want = reference_expected["weights"][mode]
    assert (got["ikm"], got["grade"], got["label"]) == (want["ikm"], want["grade"], want["label"])
    assert got["priority"] == reference_expected["priority"]
    assert got["layanan_breakdown"] == []


def test_reference_headline_figures(unit, period, reference_responses):
    assert run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", "exact")["ikm"] == 86.11
    assert run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", "0.111")["ikm"] == 86.03


def test_default_weight_comes_from_settings(settings, unit, period, reference_responses):
    settings.SKM_WEIGHT_MODE = "0.11"
    got = run_json("--unit", "pulutan", "--period", "2024-S2")
    assert (got["weight"], got["ikm"]) == ("0.11", 85.25)


def test_nrr_keeps_at_least_four_decimals(unit, period):
    # U1 answers 4, 3, 3 -> NRR 10/3 = 3.333333...; converted 83.333.. -> 83.33
    make_responses(unit, period, [[4, 3, 3, 3, 3, 3, 3, 3, 3], [3] * 9, [3] * 9])
    u1 = run_json("--unit", "pulutan", "--period", "2024-S2")["unsur"][0]
    assert u1["nrr"] == pytest.approx(3.333333, abs=1e-6)
    assert str(u1["nrr"]).startswith("3.3333")
    assert u1["converted"] == 83.33


def test_blank_answers_are_not_scored_zero(unit, period):
    # U1: 4, 4, blank -> total 8, answered 2, NRR 4.00 (not 8/3).
    # Other unsur all 3 -> NRR 3. IKM = (4 + 8 x 3) / 9 x 25 = 700/9 = 77.777.. -> 77.78 (B).
    make_responses(unit, period, [[4] + [3] * 8, [4] + [3] * 8, [None] + [3] * 8])
    got = run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", "exact")
    u1 = got["unsur"][0]
    assert (u1["total"], u1["answered"], u1["nrr"], u1["converted"], u1["grade"]) == (8, 2, 4.0, 100.0, "A")
    assert u1["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 2}
    assert got["respondents"] == 3
    assert (got["ikm"], got["grade"], got["label"]) == (77.78, "B", "Baik")


def test_single_respondent_and_ties(unit, period):
    # One respondent: 4,3,2,1,4,3,2,1,4 -> sum 24.
    # exact: 24/9 x 25 = 66.666.. -> 66.67 (C); 0.111: 24 x 0.111 x 25 = 66.60; 0.11: 24 x 0.11 x 25 = 66.00.
    # Priority: the 1s (U4, U8), the 2s (U3, U7), the 3s (U2, U6), the 4s (U1, U5, U9); ties in code order.
    make_responses(unit, period, [[4, 3, 2, 1, 4, 3, 2, 1, 4]])
    for mode, ikm in [("exact", 66.67), ("0.111", 66.6), ("0.11", 66.0)]:
        got = run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", mode)
        assert (got["respondents"], got["ikm"], got["grade"], got["label"]) == (1, ikm, "C", "Kurang Baik")
    assert got["priority"] == ["U4", "U8", "U3", "U7", "U2", "U6", "U1", "U5", "U9"]
    # Converted per unsur: 4 -> 100 (A), 3 -> 75.00 (C, below 76.61), 2 -> 50 and 1 -> 25 (D).
    assert [u["grade"] for u in got["unsur"]] == ["A", "C", "D", "D", "A", "C", "D", "D", "A"]


def answers_with_total(respondents: int, total: int) -> list[list[int]]:
    """`respondents` full rows (9 answers each) whose answers sum to `total`:
    every answer is the floor of the mean, the first `remainder` answers one more."""
    cells = 9 * respondents
    base, extra = divmod(total, cells)
    flat = [base + 1] * extra + [base] * (cells - extra)
    return [flat[i * 9 : (i + 1) * 9] for i in range(respondents)]


# With every unsur answered by all n respondents, sum(NRR) = T / n where T is the
# sum of all 9n answers, so IKM (weight 1/9) = 25 T / (9 n). Hand arithmetic:
#   n=38, T=889: 22225/342 = 64.9853.. -> 64.99  D
#   n=5,  T=117:  2925/45  = 65.0000   -> 65.00  C
#   n=26, T=717: 17925/234 = 76.6025.. -> 76.60  C
#   n=19, T=524: 13100/171 = 76.6081.. -> 76.61  B
#   n=19, T=604: 15100/171 = 88.3040.. -> 88.30  B
#   n=24, T=763: 19075/216 = 88.3101.. -> 88.31  A
@pytest.mark.parametrize(
    ("respondents", "total", "ikm", "grade", "label"),
    [
        (38, 889, 64.99, "D", "Tidak Baik"),
        (5, 117, 65.0, "C", "Kurang Baik"),
        (26, 717, 76.6, "C", "Kurang Baik"),
        (19, 524, 76.61, "B", "Baik"),
        (19, 604, 88.3, "B", "Baik"),
        (24, 763, 88.31, "A", "Sangat Baik"),
    ],
)
def test_band_boundaries_from_answer_data(unit, period, respondents, total, ikm, grade, label):
    rows = answers_with_total(respondents, total)
    assert sum(map(sum, rows)) == total
    Response.objects.bulk_create(
        [ResponseFactory.build(unit=unit, period=period, **dict(zip(UNSUR_FIELDS, row, strict=True))) for row in rows]
    )
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)  # bulk_create bypasses the services
    got = run_json("--unit", "pulutan", "--period", "2024-S2", "--weight", "exact")
    assert (got["respondents"], got["ikm"], got["grade"], got["label"]) == (respondents, ikm, grade, label)


def test_services_of_unequal_sizes(unit, period):
    # Loket A: 1 respondent, all 4 -> IKM 100.00 (A). Loket B: 3 respondents, all 2 -> IKM 50.00 (D).
    # Pooled unit: every unsur NRR (4 + 2 + 2 + 2) / 4 = 2.5 -> IKM 62.50 (D),
    # not the mean of the service IKMs (100 + 50) / 2 = 75.00.
    a = ServiceFactory(unit=unit, name="Loket A")
    b = ServiceFactory(unit=unit, name="Loket B")
    make_responses(unit, period, [[4] * 9], service=a)
    make_responses(unit, period, [[2] * 9] * 3, service=b)
    got = run_json("--unit", "pulutan", "--period", "2024-S2")
    assert (got["respondents"], got["ikm"], got["grade"]) == (4, 62.5, "D")
    assert got["layanan_breakdown"] == [
        {"layanan": "Loket A", "respondents": 1, "ikm": 100.0, "grade": "A"},
        {"layanan": "Loket B", "respondents": 3, "ikm": 50.0, "grade": "D"},
    ]
    only_b = run_json("--unit", "pulutan", "--period", "2024-S2", "--layanan", "loket b")
    assert (only_b["layanan"], only_b["respondents"], only_b["ikm"]) == ("Loket B", 3, 50.0)


def test_table_output_names_the_weight(unit, period, reference_responses):
    out = StringIO()
    call_command("skm_ikm", "--unit", "pulutan", "--period", "2024-S2", "--weight", "0.111", stdout=out)
    text = out.getvalue()
    assert "86,03" in text
    assert "bobot 0,111" in text
    assert "U9, U3, U6" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "tidak-ada", "--period", "2024-S2"], "Unit dengan kode 'tidak-ada' tidak ditemukan"),
        (["--unit", "pulutan", "--period", "2031-S1"], "Periode '2031-S1' tidak ditemukan"),
        (["--unit", "pulutan", "--period", "2024-S2", "--layanan", "Nikah"], "Jenis layanan 'Nikah' tidak ditemukan"),
        (["--unit", "pulutan", "--period", "2024-S2", "--weight", "0.2"], "Bobot '0.2' tidak dikenal"),
    ],
)
def test_errors_go_to_stderr_with_exit_1(capsys, unit, period, args, message):
    code, captured = run_argv(capsys, *args)
    assert code == 1
    assert message in captured.err
    assert captured.out == ""
