"""The report of a Zona Integritas survey (SPAK gives the IPAK, SPKP the IPKP).

Three respondents answer the SPAK (with blanks) in two jenis layanan; a fourth
answers only the SKM and is in no figure of the SPAK report. Every expected
figure is worked out by hand below as a fraction, then printed as the report
prints it (two decimals, half up, decimal comma).

SPAK: five items AK1..AK5, scale 1-6, weight 1/5 each; IPAK = Σ (1/5 x NRR) x 100 / 6.

        jenis layanan  AK1 AK2 AK3 AK4 AK5
    r1  KTP             6   5   –   6   4
    r2  KTP             5   5   6   –   3
    r3  KK              4   6   6   5   2
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from conftest import PASSWORD
from reports.context_instrument import InstrumentNotAsked
from reports.models import ExportJob
from reports.services import export_job_create, report_docx_write, report_html, report_pdf_write
from reports.tests.office import (
    broken_words,
    docx_header_words,
    docx_to_pdf,
    page_count_close,
    pdf_page_count,
    pdf_page_pngs,
    pdf_text,
    toc_without_numbers,
)
from reports.tests.test_parity import docx_sequence, el_text, missing_in_order, pdf_outline, pdf_words, squash
from skm.rules.formatting import format_number
from skm.rules.ikm import WeightMode
from skm.rules.instrument import InstrumentError
from surveys.models import SurveyRound
from surveys.services import response_create_paper
from surveys.services_rounds import round_set_instruments
from surveys.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

SPAK = [
    # (jenis layanan, answers, jenis kelamin, saran)
    ("KTP", {"AK1": 6, "AK2": 5, "AK3": None, "AK4": 6, "AK5": 4}, "L", "<b>x</b> =SUM(A1)"),
    ("KTP", {"AK1": 5, "AK2": 5, "AK3": 6, "AK4": None, "AK5": 3}, "P", ""),
    ("KK", {"AK1": 4, "AK2": 6, "AK3": 6, "AK4": 5, "AK5": 2}, "", "Petugas ramah"),
]
SPKP = [
    {"KP1": 6, "KP2": 6, "KP3": 5, "KP4": 5, "KP5": 4, "KP6": 6, "KP7": 5, "KP8": 6},
    {"KP1": 5, "KP2": None, "KP3": 5, "KP4": 6, "KP5": 6, "KP6": 6, "KP7": 4, "KP8": 5},
    {"KP1": 4, "KP2": 5, "KP3": None, "KP4": 6, "KP5": 5, "KP6": 5, "KP7": 6, "KP8": 6},
]
NASTY = "<b>x</b> =SUM(A1)"

# NRR = sum / answers given (a blank is no answer).
NRR = {
    "AK1": Fraction(6 + 5 + 4, 3),  # 5
    "AK2": Fraction(5 + 5 + 6, 3),  # 16/3 = 5,333...
    "AK3": Fraction(6 + 6, 2),  # 6 (r1 blank)
    "AK4": Fraction(6 + 5, 2),  # 11/2 (r2 blank)
    "AK5": Fraction(4 + 3 + 2, 3),  # 3
}
WEIGHT = Fraction(1, 5)
WEIGHTED_SUM = sum(WEIGHT * v for v in NRR.values())  # 149/30
INDEX = WEIGHTED_SUM * 100 / 6  # 745/9 = 82,777...
# KTP (r1, r2): 11/2 + 5 + 6 + 6 + 7/2 = 26 -> 26/5 x 100/6 = 260/3; KK (r3): 4+6+6+5+2 = 23 -> 230/3.
INDEX_KTP = Fraction(26, 5) * 100 / 6
INDEX_KK = Fraction(23, 5) * 100 / 6
# Groups: plain mean of the items' NRR, and that mean x 100 / 6.
GROUPS = {
    "Perlakuan dan prosedur": (NRR["AK1"] + NRR["AK2"]) / 2,  # 31/6
    "Imbalan dan pungutan": (NRR["AK3"] + NRR["AK4"]) / 2,  # 23/4
    "Percaloan": NRR["AK5"],  # 3
}


def f(value, places: int = 2) -> str:
    return format_number(value, places)


def test_hand_values_print_as_expected():
    """The fractions above, as the report prints them (one rounding, half up, decimal comma)."""
    weighted_sum, index = WEIGHTED_SUM, INDEX
    assert (weighted_sum, index) == (Fraction(149, 30), Fraction(745, 9))
    assert (f(INDEX), f(WEIGHTED_SUM, 3), f(INDEX_KTP), f(INDEX_KK)) == ("82,78", "4,967", "86,67", "76,67")
    assert [f(v) for v in NRR.values()] == ["5,00", "5,33", "6,00", "5,50", "3,00"]
    assert [(f(m), f(m * 100 / 6)) for m in GROUPS.values()] == [
        ("5,17", "86,11"),
        ("5,75", "95,83"),
        ("3,00", "50,00"),
    ]


@pytest.fixture
def zi_round(unit, period, alice, during_period):
    """The round asks the SPKP and the SPAK; three respondents answer both, a fourth only the SKM."""
    services = {name: ServiceFactory(unit=unit, name=name) for name in ("KTP", "KK")}
    rnd = round_set_instruments(
        round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPKP", "SPAK"]
    )
    for (service, spak, gender, saran), spkp in zip(SPAK, SPKP, strict=True):
        response_create_paper(
            unit=unit,
            period=period,
            user=alice,
            service=services[service],
            answers={"U1": 4},
            more={"SPAK": spak, "SPKP": spkp},
            gender=gender,
            suggestion=saran,
        )
    # Not a respondent of the SPAK: in none of its figures, profile or saran.
    response_create_paper(
        unit=unit, period=period, user=alice, answers={"U1": 3}, gender="L", suggestion="Saran SKM saja"
    )
    return rnd


def docx_text(path: Path) -> str:
    """Paragraphs and table cells of the DOCX in body order, whitespace squashed."""
    body = docx.Document(str(path)).element.body
    chunks = []
    for el in body:
        if el.tag == qn("w:p"):
            chunks.append(el_text(el))
        elif el.tag == qn("w:tbl"):
            chunks += [el_text(tc) for tc in el.iter(qn("w:tc"))]
    return squash(" ".join(chunks))


def write_both(unit, period, tmp_path, code="SPAK") -> tuple[Path, Path]:
    pdf, word = tmp_path / f"{code}.pdf", tmp_path / f"{code}.docx"
    report_pdf_write(kind="pdf_instrument", unit=unit, period=period, target=pdf, instrument=code)
    report_docx_write(kind="docx_instrument", unit=unit, period=period, target=word, instrument=code)
    return pdf, word


def expected_spak(unit, period) -> list[str]:
    """What both files must say, in this order."""
    rows = [
        f"{no} {code} {name} {answered} {total} {f(NRR[code])} 1/5 {f(WEIGHT * NRR[code], 3)}"
        for no, code, name, answered, total in (
            (1, "AK1", "Diskriminasi pelayanan", 3, 15),
            (2, "AK2", "Kecurangan pelayanan", 3, 16),
            (3, "AK3", "Imbalan", 2, 12),
            (4, "AK4", "Pungutan liar", 2, 11),
            (5, "AK5", "Percaloan", 3, 9),
        )
    ]
    return [
        "Indeks Persepsi Anti Korupsi (IPAK)",
        "IPAK = Σ (bobot × NRR) × 100 ÷ 6, dengan bobot yang sama untuk setiap butir, yaitu 1/5",
        "Tidak ada peraturan yang menetapkan rumus maupun kategori nilai IPAK",
        "B 76,61 – 88,30 Baik",
        f"IPAK {unit.name} pada {period.label} adalah {f(INDEX)} dengan mutu B (Baik), dihitung dari 3 responden.",
        *rows,
        f"Jumlah bobot × NRR {f(WEIGHTED_SUM, 3)}",
        f"IPAK = jumlah × 100 ÷ 6 {f(INDEX)}",
        "Mutu IPAK B (Baik)",
        *(f"{i} {name} " for i, name in enumerate(GROUPS, start=1)),
        f"KK 1 {f(INDEX_KK)} B",
        f"KTP 2 {f(INDEX_KTP)} B",
        f"Seluruh responden 3 {f(INDEX)} B",
        # AK1: 4, 5 and 6 once each of 3 answers.
        f"Cukup setuju 4 1 {f(Fraction(100, 3))}%",
        f"Setuju 5 1 {f(Fraction(100, 3))}%",
        # AK2: 5 twice, 6 once.
        f"Setuju 5 2 {f(Fraction(200, 3))}%",
        # AK3: 6 twice, r1 left it blank.
        "Sangat setuju 6 2 100,00% Menjawab (tidak menjawab: 1) 2 100,00%",
        # AK4: 5 once, 6 once, r2 blank.
        "Setuju 5 1 50,00% Sangat setuju 6 1 50,00% Menjawab (tidak menjawab: 1) 2 100,00%",
        # The profile of the three SPAK respondents (the SKM-only one is not among them).
        "Laki-laki 1 33,33% Perempuan 1 33,33% Tidak diisi 1 33,33% Jumlah 3 100,00%",
        NASTY,
        "Petugas ramah",
        "NRR terendah ada pada butir AK5 Percaloan (NRR 3,00), dan NRR tertinggi pada butir AK3 Imbalan (NRR 6,00).",
    ]


def test_spak_figures_in_the_pdf_and_the_docx_are_the_hand_values(zi_round, unit, period, tmp_path):
    pdf, word = write_both(unit, period, tmp_path)
    expected = expected_spak(unit, period)
    pdf_said, docx_said = pdf_words(pdf), docx_text(word)
    assert missing_in_order(expected, pdf_said) == []
    assert missing_in_order(expected, docx_said) == []
    # Group rows with their two values.
    for name, mean in GROUPS.items():
        for said in (pdf_said, docx_said):
            assert f"{name} " in said and f" {f(mean)} {f(mean * 100 / 6)}" in said
    for said in (pdf_said, docx_said):
        assert "Saran SKM saja" not in said  # the SKM-only respondent's saran
        assert "Laki-laki 2" not in said


@pytest.mark.parametrize("code", ["SPKP", "SPAK"])
def test_pdf_and_docx_say_the_same(zi_round, unit, period, tmp_path, code):
    """As reports/tests/test_parity.py for the Laporan SKM: the same headings as the PDF's
    outline, and every heading, caption and table cell of the DOCX in the PDF, in order."""
    pdf, word = write_both(unit, period, tmp_path, code)
    headings, sequence = docx_sequence(word)
    assert pdf_outline(pdf) == headings
    assert headings[:3] == ["DAFTAR ISI", "DAFTAR TABEL", "BAB I PENDAHULUAN"]
    assert len(sequence) > 100
    # WeasyPrint may wrap a line after a slash ("Bapak/" "Ibu"), which pdftotext reads as a space.
    assert missing_in_order([unslash(s) for s in sequence], unslash(pdf_words(pdf))) == []


def unslash(text: str) -> str:
    return text.replace("/ ", "/")


def test_spkp_index_by_hand(zi_round, unit, period, tmp_path):
    # KP1 15/3, KP2 11/2, KP3 10/2, KP4 17/3, KP5 15/3, KP6 17/3, KP7 15/3, KP8 17/3: Σ 85/2;
    # x 1/8 x 100/6 = 2125/24 = 88,541... -> A.
    index = (Fraction(15, 3) * 3 + Fraction(11, 2) + Fraction(10, 2) + Fraction(17, 3) * 3) / 8 * 100 / 6
    assert index == Fraction(2125, 24)
    pdf, word = write_both(unit, period, tmp_path, "SPKP")
    sentence = f"IPKP {unit.name} pada {period.label} adalah {f(index)} dengan mutu A (Sangat Baik)"
    assert sentence in pdf_words(pdf) and sentence in docx_text(word)


def test_saran_markup_prints_literally(zi_round, unit, period, tmp_path):
    html = report_html(kind="pdf_instrument", unit=unit, period=period, weight_mode=WeightMode.EXACT, instrument="SPAK")
    assert "&lt;b&gt;x&lt;/b&gt; =SUM(A1)" in html and NASTY not in html
    pdf, word = write_both(unit, period, tmp_path)
    assert NASTY in pdf_words(pdf)
    assert NASTY in docx_text(word)
    # In the DOCX: one plain text run, never markup or a field.
    body = docx.Document(str(word)).element.body
    assert [t.text for t in body.iter(qn("w:t")) if "SUM" in (t.text or "")] == [NASTY]
    assert not [i.text for i in body.iter(qn("w:instrText")) if "SUM" in (i.text or "")]


def test_instrument_the_round_does_not_ask_is_refused(unit, period, alice, tmp_path):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    with pytest.raises(InstrumentNotAsked):
        report_pdf_write(kind="pdf_instrument", unit=unit, period=period, target=tmp_path / "x.pdf", instrument="SPKP")
    with pytest.raises(InstrumentNotAsked):  # the SKM has its own report
        report_docx_write(
            kind="docx_instrument", unit=unit, period=period, target=tmp_path / "x.docx", instrument="SKM"
        )
    with pytest.raises(InstrumentError):
        export_job_create(
            user=alice, unit=unit, period=period, kind="pdf_instrument", weight_mode=WeightMode.EXACT, instrument="SPAX"
        )


def test_empty_instrument_report_says_there_is_no_index(unit, period, alice, tmp_path):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    pdf, word = write_both(unit, period, tmp_path)
    sentence = f"Belum ada responden yang menjawab Survei Persepsi Anti Korupsi pada {period.label}; IPAK belum dapat dihitung."
    assert sentence in pdf_words(pdf) and sentence in docx_text(word)


def test_spak_docx_in_libreoffice(zi_round, unit, period, tmp_path):
    """As reports/tests/test_docx_office.py: LibreOffice converts the DOCX; the page count is
    close to the PDF's, the daftar isi has page numbers and no header word is broken."""
    pdf, word = write_both(unit, period, tmp_path)
    lo_pdf = docx_to_pdf(word, tmp_path / "libreoffice")
    lo_pages = pdf_page_count(lo_pdf)
    problems = page_count_close(lo_pages, pdf_page_count(pdf))
    problems += toc_without_numbers(pdf_text(lo_pdf, layout=True))
    problems += broken_words(docx_header_words(word), pdf_text(lo_pdf))
    if problems:
        pngs = pdf_page_pngs(lo_pdf, tmp_path / "pages")
        problems.append(f"LibreOffice's {lo_pages} pages as PNG: {pngs[0].parent if pngs else '(none)'}")
    assert not problems, "Laporan SPAK (DOCX) in LibreOffice:\n" + "\n".join(problems)
    assert f"{f(INDEX)}" in pdf_text(lo_pdf)


def test_two_instrument_reports_of_one_period_may_run_at_once(unit, period):
    for code in ("SPKP", "SPAK"):
        ExportJob.objects.create(kind="pdf_instrument", unit=unit, period=period, instrument=code, status="queued")
    assert ExportJob.objects.filter(status="queued").count() == 2


# ------------------------------------------------------------------ the reports page

enqueues = pytest.mark.django_db(transaction=True)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def request_report(client, unit, period, report):
    return client.post(
        reverse("reports:export_request", args=[unit.code]),
        {"kind": "xlsx", "report": report, "period": period.code, "weight_mode": "exact"},
    )


def test_reports_page_offers_only_the_instruments_the_round_asks(client, alice, unit, period):
    login(client, alice)
    url = reverse("reports:unit_reports", args=[unit.code]) + f"?periode={period.code}"
    page = client.get(url).content.decode()
    assert "pdf_instrument:" not in page and "Laporan SPAK" not in page
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    page = client.get(url).content.decode()
    assert 'name="report" value="pdf_instrument:SPAK"' in page
    assert 'name="report" value="docx_instrument:SPAK"' in page
    assert "Laporan SPAK" in page and "Survei Persepsi Anti Korupsi (IPAK)" in page
    assert "SPKP" not in page
    # The "Jenis ekspor" list does not offer them: only the buttons carry the instrument.
    assert 'value="pdf_instrument"' not in page


@enqueues
@pytest.mark.parametrize(
    "who,report,filename,magic",
    [
        ("alice", "pdf_instrument:SPAK", "laporan-spak-pulutan-2024-S2.pdf", b"%PDF"),
        ("bob", "docx_instrument:SPAK", "laporan-spak-pulutan-2024-S2.docx", b"PK"),
    ],
)
def test_staff_and_supervisor_get_the_report(client, request, zi_round, unit, period, who, report, filename, magic):
    user = request.getfixturevalue(who)
    login(client, user)
    resp = request_report(client, unit, period, report)
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert (job.kind, job.instrument, job.status, job.requested_by) == (report.split(":")[0], "SPAK", "done", user)
    page = client.get(resp["Location"]).content.decode()
    assert job.get_kind_display() in page and job.get_kind_display().startswith("Laporan SPAK (")
    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    assert dl.status_code == 200 and f'filename="{filename}"' in dl["Content-Disposition"]
    content = b"".join(dl.streaming_content)
    assert content.startswith(magic)
    if magic == b"PK":
        assert "Laporan Survei Persepsi Anti Korupsi" in docx.Document(io.BytesIO(content)).core_properties.title


@enqueues
def test_outsider_cannot_request_or_download(client, alice, charlie, zi_round, unit, period):
    login(client, alice)
    request_report(client, unit, period, "docx_instrument:SPAK")
    job = ExportJob.objects.get()
    client.logout()
    login(client, charlie)
    assert client.get(reverse("reports:unit_reports", args=[unit.code])).status_code == 403
    assert request_report(client, unit, period, "pdf_instrument:SPAK").status_code == 403
    assert ExportJob.objects.count() == 1
    for name in ("reports:job_detail", "reports:job_status", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_report_of_an_instrument_the_round_does_not_ask_is_404(client, alice, unit, period):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    login(client, alice)
    resp = request_report(client, unit, period, "pdf_instrument:SPKP")
    assert resp.status_code == 404
    assert f"Putaran survei {unit.name} periode {period.label} tidak menanyakan instrumen SPKP" in resp.content.decode()
    assert not ExportJob.objects.exists()


def test_unknown_instrument_button_is_refused(client, alice, unit, period):
    login(client, alice)
    resp = request_report(client, unit, period, "pdf_instrument:SPAX")
    assert resp.status_code == 302 and not ExportJob.objects.exists()
    assert "Jenis laporan tidak dikenal." in client.get(resp["Location"]).content.decode()


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_skm_report_command_writes_the_instrument_report(zi_round, unit, period, tmp_path, capsys, suffix):
    from django.core.management import call_command

    out = tmp_path / f"spak{suffix}"
    call_command(
        "skm_report", "survey", "--instrument", "spak", "--unit", unit.code, "--period", period.code, "-o", str(out)
    )
    said = pdf_words(out) if suffix == ".pdf" else docx_text(out)
    assert f"IPAK {unit.name} pada {period.label} adalah {f(INDEX)} dengan mutu B (Baik)" in said
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no appendix beside it


def test_skm_report_command_refuses_an_instrument_the_round_does_not_ask(unit, period, alice, tmp_path):
    from django.core.management import CommandError, call_command

    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    out = tmp_path / "spkp.pdf"
    message = f"Putaran survei {unit.name} periode {period.label} tidak menanyakan instrumen SPKP"
    with pytest.raises(CommandError, match=message):
        call_command(
            "skm_report", "survey", "--instrument", "SPKP", "--unit", unit.code, "--period", period.code, "-o", str(out)
        )
    with pytest.raises(CommandError, match="--instrument hanya untuk laporan survei"):
        call_command(
            "skm_report",
            "followup",
            "--instrument",
            "SPAK",
            "--unit",
            unit.code,
            "--period",
            period.code,
            "-o",
            str(out),
        )
    assert list(tmp_path.iterdir()) == []
