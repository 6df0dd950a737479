"""skm_round open|close|publish."""

import io

import pytest
from django.core.management import CommandError, call_command

from surveys.models import RoundPublication, SurveyRound
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("skm_round", *args, stdout=out)
    return out.getvalue()


def test_open_close_publish_prints_the_frozen_ikm(unit):
    assert "dibuka" in run("open", "--unit", "pulutan", "--period", "2025-s1")
    rnd = SurveyRound.objects.get(unit=unit, period__code="2025-S1")
    # Three respondents all 3: NRR 3 -> IKM 75,00 (C).
    for _ in range(3):
        ResponseFactory(unit=unit, period=rnd.period)
    assert "ditutup" in run("close", "--unit", "pulutan", "--period", "2025-S1")
    out = run("publish", "--unit", "pulutan", "--period", "2025-S1")
    assert "versi 1: IKM 75,00 (C), 3 responden" in out
    publication = RoundPublication.objects.get()
    assert publication.ikm == 75
    assert "kesimpulan" in publication.snapshot["narrative"]  # the report text is frozen too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("close", "--unit", "tidak-ada", "--period", "2025-S1"), "tidak ditemukan"),
        (("close", "--unit", "pulutan", "--period", "2025-S3"), "tidak valid"),
        (("close", "--unit", "pulutan", "--period", "2019"), "belum memiliki putaran"),
        (("publish", "--unit", "pulutan", "--period", "2024-S2"), "harus ditutup dahulu"),
    ],
)
def test_errors_are_clear_and_change_nothing(unit, period, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not RoundPublication.objects.exists()
