"""The report authoring page of a round: the cast, preview, save, reset, report
details and publication with the text frozen."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportSection
from reports.render_html import blocks_html
from skm.rules.textblocks import parse_blocks
from surveys.models import SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(unit, period, reference_responses):
    return SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={"status": SurveyRound.Status.CLOSED, "closed_at": timezone.make_aware(dt.datetime(2024, 12, 20, 10))},
    )[0]


def overview_url(rnd):
    return reverse("reports:narrative_overview", args=[rnd.unit.code, rnd.period.code])


def section_url(rnd, key):
    return reverse("reports:narrative_section", args=[rnd.unit.code, rnd.period.code, key])


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 403), ("admin_user", 200)])
def test_overview_access(client, request, rnd, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(overview_url(rnd)).status_code == status
    assert client.get(section_url(rnd, "kesimpulan")).status_code == status


def test_anonymous_is_sent_to_login(client, rnd):
    response = client.get(overview_url(rnd))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_unknown_round_period_or_section_is_404(client, alice, rnd, other_unit):
    client.force_login(alice)
    assert client.get(reverse("reports:narrative_overview", args=["pulutan", "2023-S1"])).status_code == 404
    assert client.get(section_url(rnd, "bab-rahasia")).status_code == 404
    assert client.get(reverse("reports:narrative_overview", args=["tidak-ada", "2024-S2"])).status_code == 404


def test_overview_lists_every_section_and_progress(client, alice, rnd):
    ReportSection.objects.create(round=rnd, key="penutup", text="", updated_by=alice)
    ReportSection.objects.create(round=rnd, key="kesimpulan", text="Teks sendiri.", updated_by=alice)
    client.force_login(alice)
    html = client.get(overview_url(rnd)).content.decode()
    assert html.count('id="section-') == 30  # 9 + 9 unsur + 6 (Laporan SKM) + 5 (LHTL) + the list itself
    assert '<span id="narrative-progress-text">2 / 29</span>' in html
    assert "diubah" in html and "baku, diperiksa" in html


def test_section_prefilled_with_generated_text_and_preview(client, alice, rnd):
    client.force_login(alice)
    html = client.get(section_url(rnd, "jadwal")).content.decode()
    # Collection clamped to the close date (Fri 20 Dec 2024); 125 weekdays minus 16 Sep and 27 Nov.
    assert "1 Juli 2024 sampai dengan 20 Desember 2024 (123 hari kerja)" in html


def test_preview_renders_the_pdf_partial_and_saves_nothing(client, alice, rnd):
    client.force_login(alice)
    text = "Paragraf <b>satu</b>.\n\n1. langkah pertama\n2. langkah kedua"
    response = client.post(section_url(rnd, "rekomendasi"), {"text": text, "aksi": "pratinjau"})
    assert response.status_code == 200
    html = response.content.decode()
    assert blocks_html(parse_blocks(text)) in html  # the PDF renderer's own output
    assert "<ol><li>langkah pertama</li><li>langkah kedua</li></ol>" in html
    assert "&lt;b&gt;satu&lt;/b&gt;" in html
    assert not ReportSection.objects.exists()


def test_save_and_reset(client, alice, rnd):
    client.force_login(alice)
    response = client.post(section_url(rnd, "u9"), {"text": "Komputer terbatas.", "aksi": "simpan"})
    assert response.status_code == 302
    section = ReportSection.objects.get(round=rnd, key="u9")
    assert section.text == "Komputer terbatas." and section.updated_by == alice
    client.post(section_url(rnd, "u9"), {"text": "", "aksi": "baku", "konfirmasi": "ya"})
    section.refresh_from_db()
    assert section.text == ""


def test_reset_asks_first_and_keeps_the_text_until_confirmed(client, alice, rnd):
    ReportSection.objects.create(round=rnd, key="u9", text="Komputer <terbatas>.", updated_by=alice)
    client.force_login(alice)
    response = client.post(section_url(rnd, "u9"), {"text": "Komputer <terbatas>.", "aksi": "baku"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kembalikan ke teks baku?" in html and "Komputer &lt;terbatas&gt;." in html
    assert 'name="konfirmasi" value="ya"' in html and f'href="{section_url(rnd, "u9")}"' in html
    assert ReportSection.objects.get(round=rnd, key="u9").text == "Komputer <terbatas>."
    response = client.post(section_url(rnd, "u9"), {"aksi": "baku", "konfirmasi": "ya"})
    assert response.status_code == 302
    assert ReportSection.objects.get(round=rnd, key="u9").text == ""


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("charlie", 403)])
def test_reset_confirmation_is_staff_only(client, request, alice, rnd, who, status):
    ReportSection.objects.create(round=rnd, key="u9", text="Teks unit.", updated_by=alice)
    client.force_login(request.getfixturevalue(who))
    assert client.post(section_url(rnd, "u9"), {"aksi": "baku"}).status_code == status
    assert client.post(section_url(rnd, "u9"), {"aksi": "baku", "konfirmasi": "ya"}).status_code == status
    assert ReportSection.objects.get(round=rnd, key="u9").text == "Teks unit."


def test_empty_text_is_refused_with_a_message(client, alice, rnd):
    client.force_login(alice)
    response = client.post(section_url(rnd, "penutup"), {"text": "  ", "aksi": "simpan"})
    assert response.status_code == 400
    assert "Teks bagian ini kosong" in response.content.decode()
    assert not ReportSection.objects.exists()


def test_supervisor_reads_but_cannot_write(client, bob, rnd):
    client.force_login(bob)
    html = client.get(section_url(rnd, "penutup")).content.decode()
    assert 'id="section-form"' not in html
    assert client.post(section_url(rnd, "penutup"), {"text": "x", "aksi": "simpan"}).status_code == 403
    assert client.post(reverse("reports:narrative_details", args=["pulutan", "2024-S2"]), {}).status_code == 403
    assert not ReportSection.objects.exists()


def test_published_round_refuses_edits_on_the_page(client, alice, bob, rnd):
    client.force_login(bob)
    response = client.post(reverse("reports:round_publish", args=["pulutan", "2024-S2"]), {"catatan": ""})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.status == SurveyRound.Status.PUBLISHED
    assert "narrative" in rnd.publications.get().snapshot
    client.force_login(alice)
    html = client.get(overview_url(rnd)).content.decode()
    assert 'id="narrative-locked"' in html
    response = client.post(section_url(rnd, "penutup"), {"text": "Ubah.", "aksi": "simpan"})
    assert response.status_code == 400
    assert "mengunci teks laporan" in response.content.decode()
    assert not ReportSection.objects.exists()


def test_publish_needs_a_supervisor_or_admin(client, alice, charlie, rnd):
    url = reverse("reports:round_publish", args=["pulutan", "2024-S2"])
    for user in (alice, charlie):
        client.force_login(user)
        assert client.post(url, {}).status_code == 403
    assert not rnd.publications.exists()
    assert client.get(url).status_code == 405


def test_report_details_saved_and_refused_before_the_period(client, alice, rnd):
    client.force_login(alice)
    url = reverse("reports:narrative_details", args=["pulutan", "2024-S2"])
    client.post(url, {"report_date": "2025-01-15", "report_place": "Pulutan"})
    rnd.refresh_from_db()
    assert rnd.report_date == dt.date(2025, 1, 15) and rnd.report_place == "Pulutan"
    response = client.post(url, {"report_date": "2024-01-01", "report_place": "X"}, follow=True)
    assert "Tanggal laporan tidak boleh sebelum awal periode" in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.report_date == dt.date(2025, 1, 15)
    response = client.post(url, {"report_date": "bukan-tanggal"}, follow=True)
    assert response.status_code == 200
    rnd.refresh_from_db()
    assert rnd.report_place == "Pulutan"


@pytest.mark.parametrize(
    ("who", "shown", "status"), [("alice", True, 302), ("bob", False, 403), ("charlie", None, 403)]
)
def test_report_date_field_shows_the_stored_iso_date_and_a_place_alone_keeps_it(
    client, request, rnd, who, shown, status
):
    rnd.report_date, rnd.report_place = dt.date(2024, 11, 4), ""
    rnd.save()
    client.force_login(request.getfixturevalue(who))
    response = client.get(overview_url(rnd))
    if shown is None:
        assert response.status_code == 403
    else:
        html = response.content.decode()
        # <input type="date"> takes the ISO form only; "04-11-2024" shows as an empty field.
        field = '<input type="date" name="report_date" value="2024-11-04"'
        assert (field in html) is shown and "04-11-2024" not in html
    # What the browser sends back when only the place is typed: the date as shown, ISO.
    url = reverse("reports:narrative_details", args=["pulutan", "2024-S2"])
    response = client.post(url, {"report_date": "2024-11-04", "report_place": "Pulutan"})
    assert response.status_code == status
    rnd.refresh_from_db()
    assert rnd.report_date == dt.date(2024, 11, 4)
    assert rnd.report_place == ("Pulutan" if who == "alice" else "")
