"""skm_import: the reference files, every error class, all-or-nothing."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from surveys.models import ImportBatch, Period, Response, Service, SurveyRound, Unit
from surveys.tests.factories import PeriodFactory, ServiceFactory, SurveyRoundFactory
from surveys.tests.tallies import answer_sums

pytestmark = pytest.mark.django_db

HEADER = "no,layanan,jenis_kelamin,usia,pendidikan,pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran,tanggal\n"
GOOD = "{n},{layanan},P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,,{tanggal}\n"


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("skm_import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_fails(path, *args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("skm_import", str(path), *args, stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "tidak ada data yang disimpan" in str(exc.value)
    return err.getvalue()


def write(tmp_path, text: str | bytes, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def good_file(tmp_path, n=10, layanan="", tanggal="2024-08-01", bad_line=None, bad=""):
    lines = [HEADER] + [GOOD.format(n=i, layanan=layanan, tanggal=tanggal) for i in range(1, n + 1)]
    if bad_line:
        lines[bad_line - 1] = bad
    return write(tmp_path, "".join(lines))


def assert_matches_expected(unit, period, expected):
    qs = Response.objects.filter(unit=unit, period=period)
    assert qs.count() == expected["respondents"] == 50
    totals, answered = answer_sums(qs)
    for i, unsur in enumerate(expected["unsur"], start=1):
        assert unsur["code"] == f"U{i}"
        assert totals[unsur["code"]] == unsur["total"], unsur["code"]
        assert answered[unsur["code"]] == unsur["answered"], unsur["code"]


@pytest.mark.parametrize("fixture", ["reference_csv", "reference_xlsx"])
def test_reference_file_imports_fifty_responses(request, unit, period, reference_expected, fixture):
    path = request.getfixturevalue(fixture)
    out, _ = run(path, "--unit", "pulutan", "--period", "2024-S2")
    assert "50 jawaban diimpor" in out
    assert_matches_expected(unit, period, reference_expected)
    batch = ImportBatch.objects.get()
    assert batch.rows == 50 and len(batch.sha256) == 64
    assert set(Response.objects.values_list("channel", flat=True)) == {Response.Channel.IMPORT}


def test_create_makes_unit_period_and_services(db, tmp_path, reference_expected):
    path = good_file(tmp_path, n=3, layanan="KTP Elektronik")
    out, _ = run(path, "--unit", "baru", "--period", "2024-s2", "--create")
    unit = Unit.objects.get(code="baru")
    period = Period.objects.get(code="2024-S2")
    assert period.kind == "semester" and str(period.start_date) == "2024-07-01"
    assert Service.objects.get(unit=unit).name == "KTP Elektronik"
    assert Response.objects.filter(unit=unit, service__name="KTP Elektronik").count() == 3
    assert "unit baru dibuat" in out and "jenis layanan baru dibuat: KTP Elektronik" in out


def test_unknown_unit_and_period_without_create(db, tmp_path):
    path = good_file(tmp_path)
    err = run_fails(path, "--unit", "tidak-ada", "--period", "2030-S1")
    assert "unit 'tidak-ada' tidak ditemukan" in err
    assert "periode '2030-S1' tidak ditemukan" in err
    assert "gunakan --create untuk membuat unit, periode atau jenis layanan yang belum ada" in err
    assert not Unit.objects.filter(code="tidak-ada").exists() and not Period.objects.filter(code="2030-S1").exists()


def test_bad_period_code(unit, tmp_path):
    err = run_fails(good_file(tmp_path), "--unit", "pulutan", "--period", "2024-S3", "--create")
    assert "kode periode '2024-S3' tidak valid" in err


def test_unknown_layanan_without_create(unit, period, tmp_path):
    ServiceFactory(unit=unit, name="Surat Pengantar")
    path = good_file(
        tmp_path, n=3, layanan="surat pengantar", bad_line=3, bad=GOOD.format(n=2, layanan="Pindah Datang", tanggal="")
    )
    err = run_fails(path, "--unit", "pulutan", "--period", "2024-S2")
    assert "baris 3, kolom layanan: jenis layanan 'Pindah Datang' tidak dikenal" in err
    assert "gunakan --create" in err
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert Service.objects.filter(unit=unit).count() == 1


def test_known_layanan_matches_case_insensitively(unit, period, tmp_path):
    service = ServiceFactory(unit=unit, name="Surat Pengantar")
    run(good_file(tmp_path, n=2, layanan="SURAT PENGANTAR"), "--unit", "pulutan", "--period", "2024-S2")
    assert Response.objects.filter(service=service).count() == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2,,P,30,SMA,BURUH,3,3,5,3,3,3,3,3,3,,\n", "baris 3, kolom U3: nilai '5' tidak valid (1-4 atau a-d)"),
        ("2,,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,e,,\n", "baris 3, kolom U9: nilai 'e' tidak valid (1-4 atau a-d)"),
        ("2,,X,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,,\n", "baris 3, kolom jenis_kelamin: nilai 'X' tidak valid (L atau P)"),
        ("2,,P,abc,SMA,BURUH,3,3,3,3,3,3,3,3,3,,\n", "baris 3, kolom usia: usia 'abc' tidak valid"),
        ("2,,P,130,SMA,BURUH,3,3,3,3,3,3,3,3,3,,\n", "baris 3, kolom usia: usia '130' tidak valid"),
        ("2,,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,,kemarin\n", "baris 3, kolom tanggal: tanggal 'kemarin' tidak valid"),
        (
            "2,,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,,2025-01-05\n",
            "baris 3, kolom tanggal: tanggal 05/01/2025 di luar periode",
        ),
        ("dua,,P,30,SMA,BURUH,3,3,3,3,3,3,3,3,3,,\n", "baris 3, kolom no: nomor 'dua' harus bilangan bulat"),
    ],
)
def test_bad_cell_rejects_whole_file(unit, period, tmp_path, bad, message):
    path = good_file(tmp_path, n=5, bad_line=3, bad=bad)
    err = run_fails(path, "--unit", "pulutan", "--period", "2024-S2")
    assert message in err
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_many_errors_are_all_listed_then_capped(unit, period, tmp_path):
    lines = [HEADER] + ["1,,P,30,SMA,BURUH,9,3,3,3,3,3,3,3,3,,\n"] * 80
    err = run_fails(write(tmp_path, "".join(lines)), "--unit", "pulutan", "--period", "2024-S2")
    assert "baris 2, kolom U1" in err and "baris 51, kolom U1" in err and "baris 52," not in err
    assert "pemeriksaan dihentikan setelah 50 kesalahan" in err


def test_errors_after_a_full_batch_still_save_nothing(unit, period, tmp_path, monkeypatch):
    import surveys.services

    monkeypatch.setattr(surveys.services, "IMPORT_BATCH_SIZE", 5)
    path = good_file(tmp_path, n=30, bad_line=28, bad="27,,P,30,SMA,BURUH,3,3,3,0,3,3,3,3,3,,\n")
    err = run_fails(path, "--unit", "pulutan", "--period", "2024-S2")
    assert "baris 28, kolom U4: nilai '0' tidak valid" in err
    assert Response.objects.count() == 0


def test_missing_u_column(unit, period, tmp_path):
    path = write(tmp_path, "no,U1,U2,U3,U4,U5,U6,U7,U8\n1,1,1,1,1,1,1,1,1\n")
    assert "baris 1: kolom U9 tidak ada" in run_fails(path, "--unit", "pulutan", "--period", "2024-S2")


def test_empty_file(unit, period, tmp_path):
    assert "berkas kosong" in run_fails(write(tmp_path, b""), "--unit", "pulutan", "--period", "2024-S2")


def test_binary_file(unit, period, tmp_path):
    path = write(tmp_path, bytes(range(256)) * 40, name="foto.csv")
    assert "data biner" in run_fails(path, "--unit", "pulutan", "--period", "2024-S2")


def test_headerless_file(unit, period, tmp_path, reference_csv):
    body = reference_csv.read_text(encoding="utf-8-sig").split("\n", 1)[1]
    path = write(tmp_path, body)
    assert "baris 1 tidak berisi judul kolom" in run_fails(path, "--unit", "pulutan", "--period", "2024-S2")


def test_missing_file(unit, period, tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("skm_import", str(tmp_path / "nope.csv"), "--unit", "pulutan", "--period", "2024-S2")


def test_closed_round_refused_and_the_command_says_how_to_open_it(unit, tmp_path, reference_csv):
    SurveyRoundFactory(unit=unit, period=PeriodFactory(code="2024-S2"), status=SurveyRound.Status.CLOSED)
    err = run_fails(reference_csv, "--unit", "pulutan", "--period", "2024-S2")
    assert "tidak sedang dibuka" in err and "skm_round open --unit" in err
    assert Response.objects.count() == 0


def test_without_a_round_only_create_opens_one(unit, tmp_path, reference_csv):
    PeriodFactory(code="2024-S2")
    assert "tidak sedang dibuka" in run_fails(reference_csv, "--unit", "pulutan", "--period", "2024-S2")
    run(reference_csv, "--unit", "pulutan", "--period", "2024-S2", "--create")
    assert SurveyRound.objects.get(unit=unit).status == "open"
    assert Response.objects.count() == 50


def test_duplicate_file_refused_unless_force(unit, period, tmp_path, reference_csv):
    copy = tmp_path / "salinan.csv"
    shutil.copy(reference_csv, copy)
    run(reference_csv, "--unit", "pulutan", "--period", "2024-S2")
    err = run_fails(copy, "--unit", "pulutan", "--period", "2024-S2")
    assert "berkas yang sama persis sudah diimpor" in err and "--force" in err
    assert Response.objects.count() == 50
    run(copy, "--unit", "pulutan", "--period", "2024-S2", "--force")
    assert Response.objects.count() == 100 and ImportBatch.objects.count() == 2


def test_same_file_for_another_period_is_not_a_duplicate(unit, period, reference_csv):
    later = PeriodFactory(code="2025-S2", start_date="2025-07-01", end_date="2025-12-31")
    SurveyRoundFactory(unit=unit, period=later)
    run(reference_csv, "--unit", "pulutan", "--period", "2024-S2")
    run(reference_csv, "--unit", "pulutan", "--period", "2025-S2")
    assert Response.objects.count() == 100


def test_semicolon_csv_with_bom_and_letters(unit, period, tmp_path):
    path = write(tmp_path, "\ufeffNO;U1;U2;U3;U4;U5;U6;U7;U8;U9;Saran\n1;a;b;c;d;;4;4;4;4;Antrian, lama\n")
    run(path, "--unit", "pulutan", "--period", "2024-S2")
    r = Response.objects.get()
    assert (
        r.answers()["U1"],
        r.answers()["U2"],
        r.answers()["U3"],
        r.answers()["U4"],
        r.answers()["U5"],
        r.answers()["U9"],
    ) == (1, 2, 3, 4, None, 4)
    assert r.suggestion == "Antrian, lama" and r.number == 1


def test_command_reports_a_shortened_saran_as_a_warning(unit, period, tmp_path):
    path = write(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n3,3,3,3,3,3,3,3,3," + "x" * 5050 + "\n")
    out, err = run(path, "--unit", "pulutan", "--period", "2024-S2")
    assert "1 jawaban diimpor" in out
    assert "peringatan: baris 2, kolom saran: saran 5.050 karakter dipotong menjadi 5.000 karakter" in err


def test_command_refuses_a_sparse_xlsx(unit, period, tmp_path):
    from surveys.tests.xlsx_raw import istr, num, raw_xlsx

    path = write(tmp_path, raw_xlsx(istr("A2", "x") + num("XFD1048576", 1)), name="jarang.xlsx")
    err = run_fails(path, "--unit", "pulutan", "--period", "2024-S2")
    assert "kolom XFD (kolom ke-16.384); maksimal 60 kolom" in err
