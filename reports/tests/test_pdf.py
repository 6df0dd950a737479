"""The fenced URL fetcher and escaping of user text in both reports."""

import hashlib
import re
import subprocess

import pytest
from django.conf import settings

from reports.assets import inline_image
from reports.pdf import ASSET_ORIGIN, FencedURLFetcher, RefusedURL, resolve_asset
from reports.services import report_html, report_pdf_write
from skm.rules.ikm import WeightMode
from surveys.models import Response

pytestmark = pytest.mark.django_db

EVIL = '<img src="file:///etc/passwd"> <script>alert(1)</script> http://example.com/x.png'


def pdftext(path) -> str:
    # Reading order (no -layout) so text wrapped inside a table cell stays together.
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/static/reports/report.css",
        "https://skm-assets.invalid/static/reports/report.css",
        ASSET_ORIGIN + "/static/../../../etc/passwd",
        ASSET_ORIGIN + "/static/%2e%2e/%2e%2e/etc/passwd",
        ASSET_ORIGIN + "/media/../settings.py",
        ASSET_ORIGIN + "/etc/passwd",
        ASSET_ORIGIN + "/static/reports/report.css?x=1",
        "data:text/plain,hello",
        # In-memory charts: only a name that was stored, nothing around it.
        ASSET_ORIGIN + "/inline/" + "0" * 64 + ".png",
        ASSET_ORIGIN + "/inline/../static/reports/report.css",
        ASSET_ORIGIN + "/inline/",
        "http://example.com/inline/" + "0" * 64 + ".png",
    ],
)
def test_fetcher_refuses_everything_outside_static_and_media(url):
    fetcher = FencedURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_serves_static_and_media(tmp_path):
    css = resolve_asset(ASSET_ORIGIN + "/static/reports/report.css")
    assert css.name == "report.css"
    media = tmp_path / "media" / "rtl-privat"
    media.mkdir(parents=True)
    (media / "a.jpg").write_bytes(b"x")
    assert str(tmp_path / "media") == settings.MEDIA_ROOT
    response = FencedURLFetcher().fetch(ASSET_ORIGIN + "/media/rtl-privat/a.jpg")
    assert response.read() == b"x"


def test_fetcher_serves_inline_images_by_content_only():
    stored = inline_image(b"\x89PNG chart bytes")
    assert stored.url == "/inline/" + hashlib.sha256(b"\x89PNG chart bytes").hexdigest() + ".png"
    response = FencedURLFetcher().fetch(ASSET_ORIGIN + stored.url)
    assert response.read() == b"\x89PNG chart bytes"
    with pytest.raises(RefusedURL):  # the same name with a query is not the stored image
        FencedURLFetcher().fetch(ASSET_ORIGIN + stored.url + "?x=1")


def test_fetcher_refuses_symlink_escape(tmp_path):
    media = tmp_path / "media"
    (media / "rtl-privat").mkdir(parents=True)
    (media / "link.txt").symlink_to("/etc/passwd")
    (media / "rtl-privat" / "link.jpg").symlink_to("/etc/passwd")
    for name in ("link.txt", "rtl-privat/link.jpg"):
        with pytest.raises(RefusedURL):
            resolve_asset(ASSET_ORIGIN + "/media/" + name)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("imports/1/abc.upload", "not a report image"),  # stored files a report never shows
        ("exports/2024/01/laporan.pdf", "not a report image"),
        ("laporan-terbit/2024/laporan.pdf", "not a report image"),
        ("rtl-privat//a.jpg", "path traversal"),
        ("rtl-privat/../imports/1/abc.upload", "path traversal"),
        ("rtl-privat/missing.jpg", "not found"),
        ("unit-logo/huge.jpg", "too large"),
    ],
)
def test_fetcher_reads_only_report_images_of_bounded_size(tmp_path, name, reason, monkeypatch):
    import reports.pdf

    for stored in ("imports/1/abc.upload", "exports/2024/01/laporan.pdf", "laporan-terbit/2024/laporan.pdf"):
        (tmp_path / "media" / stored).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "media" / stored).write_bytes(b"private")
    (tmp_path / "media" / "unit-logo").mkdir(parents=True)
    (tmp_path / "media" / "unit-logo" / "huge.jpg").write_bytes(b"x" * 101)
    monkeypatch.setattr(reports.pdf, "MEDIA_MAX_BYTES", 100)
    with pytest.raises(RefusedURL, match=reason):
        FencedURLFetcher().fetch(ASSET_ORIGIN + "/media/" + name)


def test_user_text_is_escaped_in_html_and_pdf_and_fetches_nothing(unit, period, report_plan, tmp_path):
    Response.objects.filter(unit=unit, number=1).update(suggestion=EVIL)
    item = report_plan.unsur_rows.first().items.first()
    item.program = "Perbaikan " + EVIL
    item.save()

    html = report_html(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and '<img src="file:' not in html
    followup_html = report_html(kind="pdf_followup", unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert "Perbaikan &lt;img src=&quot;file:///etc/passwd&quot;&gt;" in followup_html

    for kind in ("pdf_survey", "pdf_followup"):
        fetcher = FencedURLFetcher()
        out = tmp_path / f"{kind}.pdf"
        report_pdf_write(kind=kind, unit=unit, period=period, target=out, fetcher=fetcher)
        text = pdftext(out)
        assert '<img src="file:///etc/passwd">' in text
        assert "<script>alert(1)</script>" in text
        # Only the stylesheet, the evidence photos and the charts drawn in memory were
        # requested, all from the fence.
        assert fetcher.requested, "the stylesheet at least is fetched"
        fenced = tuple(ASSET_ORIGIN + prefix for prefix in ("/static/", "/media/", "/inline/"))
        assert all(u.startswith(fenced) for u in fetcher.requested)
        assert not any("passwd" in u or "example.com" in u for u in fetcher.requested)


def test_survey_pdf_places_the_unsur_chart_as_a_print_resolution_image(unit, period, report_plan, tmp_path):
    """The per-unsur chart is drawn once as PNG (8 x 3,8 inches at 150 dpi) and
    placed from memory; the Word report embeds the same bytes."""
    fetcher = FencedURLFetcher()
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out, fetcher=fetcher)
    assert [u for u in fetcher.requested if "/inline/" in u], fetcher.requested
    listing = subprocess.run(["pdfimages", "-list", str(out)], check=True, capture_output=True, text=True).stdout
    sizes = [tuple(line.split()[3:5]) for line in listing.splitlines()[2:]]
    assert ("1200", "570") in sizes, listing
