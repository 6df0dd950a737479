"""The fenced URL fetcher and escaping of user text in both reports."""

import re
import subprocess

import pytest
from django.conf import settings

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


def test_fetcher_refuses_symlink_escape(tmp_path):
    media = tmp_path / "media"
    media.mkdir(parents=True)
    (media / "link.txt").symlink_to("/etc/passwd")
    with pytest.raises(RefusedURL):
        resolve_asset(ASSET_ORIGIN + "/media/link.txt")


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
        # Only the stylesheet and the evidence photos were requested, all from the fence.
        assert fetcher.requested, "the stylesheet at least is fetched"
        assert all(
            u.startswith(ASSET_ORIGIN + "/static/") or u.startswith(ASSET_ORIGIN + "/media/") for u in fetcher.requested
        )
        assert not any("passwd" in u or "example.com" in u for u in fetcher.requested)
