"""skm_narrative: set one section of a round's report text from a file or stdin."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import ReportSection
from surveys.models import SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(unit, period):
    return SurveyRound.objects.update_or_create(
        unit=unit, period=period, defaults={"status": SurveyRound.Status.CLOSED}
    )[0]


def run(**options):
    out = io.StringIO()
    call_command("skm_narrative", stdout=out, **options)
    return out.getvalue()


def test_sets_a_section_from_a_file(rnd, alice, tmp_path):
    path = tmp_path / "u9.txt"
    path.write_text("Komputer dan printer terbatas.\n\n- meja layanan kurang\n", encoding="utf-8")
    out = run(unit="pulutan", period="2024-s2", section="U9", file=str(path), user="alice")
    assert "Bagian u9 untuk pulutan 2024-S2 disimpan" in out
    section = ReportSection.objects.get(round=rnd, key="u9")
    assert section.text == "Komputer dan printer terbatas.\n\n- meja layanan kurang"
    assert section.updated_by == alice


def test_reads_stdin(rnd, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Kesimpulan dari stdin."))
    run(unit="pulutan", period="2024-S2", section="kesimpulan", file="-")
    assert ReportSection.objects.get(round=rnd, key="kesimpulan").text == "Kesimpulan dari stdin."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"unit": "tidak-ada"}, "Unit dengan kode 'tidak-ada' tidak ditemukan."),
        ({"period": "2030-S1"}, "Periode '2030-S1' tidak ditemukan."),
        ({"section": "bab9"}, "Bagian 'bab9' tidak dikenal. Pilihan: kata_pengantar,"),
        ({"file": "/tidak/ada.txt"}, "Berkas '/tidak/ada.txt' tidak ditemukan."),
        ({"user": "siapa"}, "Pengguna 'siapa' tidak ditemukan."),
    ],
)
def test_clear_errors(rnd, tmp_path, options, message):
    path = tmp_path / "t.txt"
    path.write_text("Teks.", encoding="utf-8")
    args = {"unit": "pulutan", "period": "2024-S2", "section": "penutup", "file": str(path), **options}
    with pytest.raises(CommandError) as exc:
        run(**args)
    assert message in str(exc.value)
    assert not ReportSection.objects.exists()


def test_unit_without_round(unit, period, tmp_path):
    SurveyRound.objects.filter(unit=unit, period=period).delete()
    path = tmp_path / "t.txt"
    path.write_text("Teks.", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(unit="pulutan", period="2024-S2", section="penutup", file=str(path))
    assert "belum memiliki putaran survei untuk periode 2024-S2" in str(exc.value)


def test_published_round_refuses(rnd, tmp_path):
    rnd.status = SurveyRound.Status.PUBLISHED
    rnd.save()
    path = tmp_path / "t.txt"
    path.write_text("Teks.", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(unit="pulutan", period="2024-S2", section="penutup", file=str(path))
    assert "mengunci teks laporan" in str(exc.value)
    assert not ReportSection.objects.exists()


def test_binary_file_is_refused(rnd, tmp_path):
    path = tmp_path / "t.bin"
    path.write_bytes(b"\xff\xfe\x00\x80\x81")
    with pytest.raises(CommandError) as exc:
        run(unit="pulutan", period="2024-S2", section="penutup", file=str(path))
    assert "bukan teks UTF-8" in str(exc.value)
