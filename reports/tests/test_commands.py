import re
import subprocess

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["followup", "survey"])
def test_skm_report_writes_pdf(kind, unit, period, report_plan, tmp_path, capsys):
    out = tmp_path / f"{kind}.pdf"
    call_command("skm_report", kind, "--unit", "pulutan", "--period", "2024-s2", "-o", str(out), "--weight", "0.111")
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "86,03" in text
    said = capsys.readouterr().out
    assert re.fullmatch(rf"{re.escape(str(out))} ditulis \(\d+,\d dtk, bobot 0\.111\)\.\n", said), said


@pytest.mark.parametrize(
    "args,message",
    [
        (["--unit", "tidak-ada", "--period", "2024-S2"], "Unit dengan kode 'tidak-ada' tidak ditemukan."),
        (["--unit", "pulutan", "--period", "2030-S1"], "Periode '2030-S1' tidak ditemukan."),
        (["--unit", "pulutan", "--period", "2024-S2", "--weight", "0.5"], "Bobot '0.5' tidak dikenal"),
    ],
)
def test_skm_report_bad_arguments(unit, period, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("skm_report", "survey", *args, "-o", str(tmp_path / "x.pdf"))


def test_skm_export_unknown_unit_exits_1_with_indonesian_error(unit, period, tmp_path):
    with pytest.raises(CommandError, match="Unit dengan kode 'x' tidak ditemukan."):
        call_command("skm_export", "--unit", "x", "--period", "2024-S2", "-o", str(tmp_path / "x.xlsx"))


def test_skm_export_writes_the_worksheet(unit, period, reference_responses, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "ws.xlsx"
    call_command("skm_export", "--unit", "pulutan", "--period", "2024-S2", "-o", str(out), "--weight", "0.111")
    wb = load_workbook(out, read_only=True)
    values = [v for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    assert 167 in values and 156 in values  # ΣNilai of U1 and U9 (seed 004)
    assert "ditulis" in capsys.readouterr().out


@pytest.mark.parametrize("kind,chapter", [("followup", "BAB IV\nKESIMPULAN"), ("survey", "BAB V\nKESIMPULAN")])
@pytest.mark.parametrize("suffix", [".docx", ".DOCX"])
def test_skm_report_writes_word_from_the_suffix(kind, chapter, suffix, unit, period, report_plan, tmp_path, capsys):
    import docx

    out = tmp_path / f"{kind}{suffix}"
    call_command("skm_report", kind, "--unit", "pulutan", "--period", "2024-S2", "-o", str(out), "--weight", "0.111")
    assert out.read_bytes().startswith(b"PK")  # a zip package, not a PDF
    document = docx.Document(str(out))
    assert chapter in [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "86,03" in cells  # IKM with weight 0,111 (reference file)
    assert f"{out} ditulis" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["laporan.txt", "laporan.doc", "laporan", "laporan.pdf.bak", "laporan.odt"])
def test_skm_report_refuses_other_suffixes_and_writes_nothing(name, unit, period, reference_responses, tmp_path):
    out = tmp_path / name
    with pytest.raises(CommandError, match=r"berkas -o harus berakhiran \.pdf \(PDF\) atau \.docx \(Word\)"):
        call_command("skm_report", "survey", "--unit", "pulutan", "--period", "2024-S2", "-o", str(out))
    assert list(tmp_path.iterdir()) == []


def test_skm_report_checks_the_suffix_before_the_unit(tmp_path, db):
    with pytest.raises(CommandError, match="Format berkas 'x.rtf' tidak dikenal"):
        call_command(
            "skm_report", "followup", "--unit", "tidak-ada", "--period", "2024-S2", "-o", str(tmp_path / "x.rtf")
        )
