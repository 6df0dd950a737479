"""The archival Laporan SKM PDF (PDF/A-3, tagged, with the round's published data
embedded) and the fixed, dated file of each published version with its SHA-256."""

import datetime as dt
import hashlib
import re
import subprocess
import zlib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import PublishedReport
from reports.services import report_pdf_write
from reports.services_narrative import round_publish_with_report
from reports.services_published import published_report_build, published_reports_request
from skm.rules.ikm import WeightMode
from surveys.models import SurveyRound
from surveys.services_rounds import round_open
from surveys.tests.factories import publish_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(unit, period, reference_responses):
    return SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={"status": SurveyRound.Status.CLOSED, "closed_at": timezone.make_aware(dt.datetime(2024, 12, 20, 10))},
    )[0]


def pdfinfo(path, *args) -> str:
    return subprocess.run(["pdfinfo", *args, str(path)], check=True, capture_output=True, text=True).stdout


def detach(path, out: Path) -> dict[str, bytes]:
    """Every embedded file of the PDF, by name (pdfdetach)."""
    listing = subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    names = [line.split(": ", 1)[1] for line in listing.splitlines()[1:] if ": " in line]
    out.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(path)], check=True)
    return {name: (out / name).read_bytes() for name in names}


def catalog_lang(path) -> str | None:
    """/Lang of the document catalog (in a compressed object stream in PDF 1.7)."""
    data = Path(path).read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    for chunk in chunks:
        if b"/Type /Catalog" in chunk or b"/Type/Catalog" in chunk:
            found = re.search(rb"/Lang\s*\((.*?)\)", chunk)
            if found:
                return found.group(1).decode()
    return None


def test_laporan_skm_is_tagged_pdfa3_with_author_title_language(unit, period, reference_responses, tmp_path):
    target = tmp_path / "laporan.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.EXACT, target=target)
    info = pdfinfo(target)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(rf"^Author:\s+{re.escape(unit.name)}$", info, re.M), info
    assert re.search(rf"^Title:\s+Laporan Survei Kepuasan Masyarakat {re.escape(unit.name)}", info, re.M), info
    meta = pdfinfo(target, "-meta")
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="U"' in meta, meta
    assert catalog_lang(target) == "id"
    # Never published: there is no published data to embed.
    listing = subprocess.run(["pdfdetach", "-list", str(target)], capture_output=True, text=True, check=True).stdout
    assert listing.startswith("0 embedded files")


def test_laporan_skm_embeds_the_published_data_as_the_open_data_endpoints_serve_it(
    client, unit, period, reference_responses, tmp_path
):
    publish_round(unit, period)
    target = tmp_path / "laporan.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.EXACT, target=target)
    files = detach(target, tmp_path / "lampiran")
    stem = f"skm-{unit.code}-{period.code}"
    assert sorted(files) == [f"{stem}.csv", f"{stem}.json"]
    # The unit has this one published round: the endpoints' files are the attachments, byte for byte.
    json_response = client.get(reverse("public_results_json", args=[unit.code]))
    csv_response = client.get(reverse("public_results_csv", args=[unit.code]))
    assert json_response.json()["results"][0]["period"] == period.code
    assert files[f"{stem}.json"] == json_response.content
    assert files[f"{stem}.csv"] == csv_response.content
    # The LHTL carries no data attachment but the same document properties.
    lhtl = tmp_path / "lhtl.pdf"
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, weight_mode=WeightMode.EXACT, target=lhtl)
    assert re.search(r"^Tagged:\s+yes$", pdfinfo(lhtl), re.M)
    assert 'pdfaid:part="3"' in pdfinfo(lhtl, "-meta")


def test_publication_builds_the_fixed_pdf_served_with_its_sha256(
    client, unit, period, rnd, bob, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    report = PublishedReport.objects.get(publication=publication)
    assert report.status == PublishedReport.Status.DONE, report.error
    assert report.kind == PublishedReport.Kind.PDF_SURVEY and report.attempts == 1
    url = reverse("public_report_pdf", args=[unit.code, period.code, publication.version])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    served = b"".join(response.streaming_content)
    assert served.startswith(b"%PDF") and len(served) == report.size
    assert hashlib.sha256(served).hexdigest() == report.sha256
    assert f"laporan-skm-{unit.code}-{period.code}-v1.pdf" in response["Content-Disposition"]
    # The stored file is the archival one, with this version's published data inside.
    path = tmp_path / "terbit.pdf"
    path.write_bytes(served)
    assert re.search(r"^Tagged:\s+yes$", pdfinfo(path), re.M)
    assert sorted(detach(path, tmp_path / "lampiran")) == [
        f"skm-{unit.code}-{period.code}.csv",
        f"skm-{unit.code}-{period.code}.json",
    ]
    # The public page shows the link and the hash beside the version.
    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert "Unduh laporan (PDF)" in html and url in html
    assert "Sidik SHA-256: <code" in html and report.sha256 in html
    # Idempotent: a repeated message or request neither rebuilds nor duplicates.
    name = report.file.name
    assert published_report_build(report_id=report.pk) == PublishedReport.Status.DONE
    assert published_reports_request(publication=publication)[0].pk == report.pk
    report.refresh_from_db()
    assert report.file.name == name and report.attempts == 1
    assert PublishedReport.objects.count() == 1


def test_pending_file_is_announced_and_not_served(client, unit, period, rnd, bob):
    # Without the commit callbacks the task never runs: the file stays pending.
    publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    assert PublishedReport.objects.get(publication=publication).status == PublishedReport.Status.PENDING
    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert "Laporan sedang disiapkan" in html and "Unduh laporan (PDF)" not in html
    url = reverse("public_report_pdf", args=[unit.code, period.code, publication.version])
    assert client.get(url).status_code == 404
    # Once built, the cached page shows the link at once (the files' state is in its key).
    assert published_report_build(report_id=publication.published_reports.get().pk) == PublishedReport.Status.DONE
    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert "Unduh laporan (PDF)" in html and "Laporan sedang disiapkan" not in html
    assert client.get(url).status_code == 200


def test_unknown_or_unpublished_files_are_404(client, unit, other_unit, period, reference_responses):
    # The round of ``period`` is open, never published.
    for args in (
        [unit.code, period.code, 1],
        ["tidak-ada", period.code, 1],
        [unit.code, "1999-S1", 1],
        [other_unit.code, period.code, 1],
        [unit.code, period.code, 999999],
    ):
        assert client.get(reverse("public_report_pdf", args=args)).status_code == 404, args
    assert client.get(f"/publik/{unit.code}/laporan/{period.code}/vx.pdf").status_code == 404


def test_a_round_reopened_before_the_build_gets_no_file(client, unit, period, rnd, bob, alice):
    publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    report = PublishedReport.objects.get(publication=publication)
    round_open(unit=unit, period=period, user=bob, reason="Koreksi entri ganda")
    assert published_report_build(report_id=report.pk) == PublishedReport.Status.FAILED
    report.refresh_from_db()
    assert not report.file and "dibuka kembali" in report.error


def test_a_failed_render_is_released_for_the_retry_then_failed(monkeypatch, rnd, bob):
    publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    report = PublishedReport.objects.get(publication=publication)

    def boom(**kwargs):
        raise RuntimeError("font hilang")

    monkeypatch.setattr("reports.services.report_pdf_write", boom)
    with pytest.raises(RuntimeError):
        published_report_build(report_id=report.pk, last_attempt=False)
    report.refresh_from_db()
    assert report.status == PublishedReport.Status.PENDING and report.error == "font hilang"
    with pytest.raises(RuntimeError):
        published_report_build(report_id=report.pk, last_attempt=True)
    report.refresh_from_db()
    assert report.status == PublishedReport.Status.FAILED and report.attempts == 2 and not report.file


def test_the_published_pdf_is_kept_in_the_object_store_and_served_by_the_public_view(
    client, unit, period, rnd, bob, s3_storage, s3_client, django_capture_on_commit_callbacks, settings
):
    """README "Files": with a bucket the fixed PDF is an object there, private, and the
    public page streams it (its SHA-256 unchanged); nothing is written to MEDIA_ROOT."""
    with django_capture_on_commit_callbacks(execute=True):
        publication = round_publish_with_report(round=rnd, user=bob, weight_mode=WeightMode.EXACT)
    report = PublishedReport.objects.get(publication=publication)
    assert report.status == PublishedReport.Status.DONE, report.error
    key = "media/" + report.file.name
    assert report.file.name.startswith("laporan-terbit/")
    stored = s3_client.get_object(Bucket=s3_storage, Key=key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == report.sha256
    response = client.get(reverse("public_report_pdf", args=[unit.code, period.code, publication.version]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
