"""The unit's own profile page: letterhead, signatory, logo (checked like the RTL
photos) and earlier IKM values; the cover prints them."""

import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reports.pdf import FencedURLFetcher
from reports.services import report_html, report_pdf_write
from skm.rules.ikm import WeightMode
from surveys.models import EarlierIkm, Unit
from surveys.tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db

URL = "/unit/pulutan/profil/"


def png(size=(120, 80), colour=(11, 83, 148)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (*colour, 255)).save(buf, "PNG")
    return buf.getvalue()


def profile_data(**extra):
    data = {
        "aksi": "profil",
        "address": "Jl. Argowiyoto No. 1, Pulutan",
        "city": "Salatiga",
        "phone": "(0298) 314816",
        "website": "pulutan.salatiga.go.id",
        "signatory_name": "Sri Wahyuni, S.Sos",
        "signatory_title": "Lurah Pulutan",
        "signatory_rank": "Penata (III/c)",
        "signatory_nip": "197201182006042002",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 403), ("admin_user", 200)])
def test_profile_page_access(client, request, unit, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status


def test_anonymous_and_unknown_unit(client, alice):
    assert client.get(URL).status_code == 302
    client.force_login(alice)
    assert client.get("/unit/tidak-ada/profil/").status_code == 404


def test_supervisor_and_outsider_cannot_write(client, bob, charlie, unit):
    for user in (bob, charlie):
        client.force_login(user)
        assert client.post(URL, profile_data()).status_code == 403
    unit.refresh_from_db()
    assert unit.signatory_name == "Budi Santoso, S.STP"


def test_staff_update_is_attributable_and_printed_on_the_cover(
    client, alice, unit, period, reference_responses, tmp_path
):
    client.force_login(alice)
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = client.post(URL, profile_data(logo=logo))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.signatory_name == "Sri Wahyuni, S.Sos" and unit.phone == "(0298) 314816"
    assert unit.history.first().history_user == alice
    # Re-encoded: a JPEG whatever was uploaded.
    with unit.logo.open("rb") as fh:
        assert Image.open(fh).format == "JPEG"
    html = report_html(kind="pdf_survey", unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert f'<img src="/media/{unit.logo.name}" alt="Logo">' in html
    assert '<div class="emblem">SKM</div>' not in html
    fetcher = FencedURLFetcher()
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out, fetcher=fetcher)
    # The logo reached WeasyPrint through the fence.
    assert any(url.endswith("/media/" + unit.logo.name) for url in fetcher.requested)
    text = re.sub(
        r"\s+", " ", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    )
    cover = text[: text.index("KATA PENGANTAR")]
    assert "Telepon (0298) 314816 · pulutan.salatiga.go.id" in cover
    assert "SKM KELURAHAN" not in cover.upper().replace("MASYARAKAT KELURAHAN", "")
    assert "Sri Wahyuni, S.Sos" in text and "NIP. 197201182006042002" in text


def test_without_logo_the_placeholder_emblem_stays(unit, period):
    html = report_html(kind="pdf_followup", unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert '<div class="emblem">SKM</div>' in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "JPEG atau PNG"),
        ("logo.png", b"bukan gambar sama sekali\n" * 10, "bukan gambar JPEG atau PNG"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "JPEG atau PNG"),
    ],
)
def test_bad_logo_is_refused_and_nothing_saved(client, alice, unit, name, content, message):
    client.force_login(alice)
    response = client.post(URL, profile_data(logo=SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    unit.refresh_from_db()
    assert not unit.logo
    # Nothing half-saved: the other fields are unchanged too.
    assert unit.signatory_name == "Budi Santoso, S.STP"


def test_too_big_logo_is_refused(client, alice, unit, settings):
    settings.SKM_PHOTO_MAX_BYTES = 1000
    client.force_login(alice)
    noisy = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(noisy, "PNG")
    assert len(noisy.getvalue()) > 1000
    response = client.post(URL, profile_data(logo=SimpleUploadedFile("logo.png", noisy.getvalue())))
    assert response.status_code == 400
    assert "melebihi batas" in response.content.decode()
    assert not Unit.objects.get(pk=unit.pk).logo


def test_earlier_ikm_entered_and_labelled_in_trend(client, alice, unit, period, reference_responses, tmp_path):
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "aksi": "ikm",
            "periode": "2019",
            "ikm": "82,45",
            "weight_mode": "0.111",
            "respondents": "60",
            "source": "Laporan SKM Kelurahan Pulutan 2019",
        },
    )
    assert response.status_code == 302
    entry = EarlierIkm.objects.get(unit=unit)
    assert entry.ikm == Decimal("82.45") and entry.entered_by == alice
    results = client.get(reverse("surveys:results", args=["pulutan", "2024-S2"])).content.decode()
    assert "dimasukkan manual" in results
    out = tmp_path / "s.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out)
    text = re.sub(
        r"\s+", " ", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert "Tahun 2019 (dimasukkan manual) 60 82,45 B" in text
    assert "Laporan SKM Kelurahan Pulutan 2019" in text


def test_entered_value_never_replaces_a_computed_one(client, alice, unit, period, reference_responses):
    from surveys.results import unit_trend_list

    client.force_login(alice)
    client.post(
        URL,
        {"aksi": "ikm", "periode": "2024-S2", "ikm": "50", "weight_mode": "exact", "source": "salah ketik"},
    )
    (point,) = unit_trend_list(unit=unit, weight_mode=WeightMode.EXACT)
    # The reference survey's computed IKM (expected file: 86,11 with weight 1/9), not the entered 50.
    assert point.ikm == Decimal("86.11") and not point.entered
    page = client.get(URL).content.decode()
    assert "tren memakai nilai hasil hitungan" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ikm": "abc"}, "harus berupa angka"),
        ({"ikm": "120"}, "antara 25 dan 100"),
        ({"periode": "2019-S9"}, "tidak valid"),
        ({"source": ""}, "tidak boleh kosong"),
    ],
)
def test_bad_earlier_ikm_is_refused(client, alice, unit, data, message):
    PeriodFactory(code="2019")
    client.force_login(alice)
    post = {"aksi": "ikm", "periode": "2019", "ikm": "80", "weight_mode": "exact", "source": "Laporan 2019"}
    post.update(data)
    response = client.post(URL, post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EarlierIkm.objects.exists()
