"""Allow/deny matrix: alice (staff, owner), bob (supervisor, read-only), charlie
(outsider), admin, anonymous - every page and action, including photo URLs."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from followup import services
from followup.models import EvidencePhoto, Realisation

from .conftest import explain_unrealised, image_bytes, upload

pytestmark = pytest.mark.django_db

USERS = ["alice", "bob", "charlie", "admin", "anonymous"]


@pytest.fixture
def photo(plan, items, alice):
    return services.photo_add(item=items[0], user=alice, upload=upload("a.png", image_bytes("PNG")), caption="Rapat")


@pytest.fixture
def login(client, alice, bob, charlie, admin_user):
    def _login(who):
        client.logout()
        if who != "anonymous":
            assert client.login(username=who, password=PASSWORD)
        return client

    return _login


def _read_urls(plan, items, photo, unit):
    return {
        "unit": reverse("followup:unit", args=[unit.code]),
        "plan": reverse("followup:plan", args=[plan.pk]),
        "item": reverse("followup:item", args=[items[0].pk]),
        "photo": reverse("followup:photo", args=[photo.pk]),
    }


READ_EXPECT = {
    # page: alice, bob, charlie, admin
    "unit": (200, 200, 403, 200),
    "plan": (200, 200, 403, 200),
    "item": (200, 200, 403, 200),
    "photo": (200, 200, 404, 200),  # 404: a photo id says nothing to outsiders
}


@pytest.mark.parametrize("page", list(READ_EXPECT))
def test_read_matrix(login, plan, items, photo, unit, page):
    url = _read_urls(plan, items, photo, unit)[page]
    for who, expected in zip(USERS[:4], READ_EXPECT[page], strict=False):
        r = login(who).get(url)
        assert r.status_code == expected, (who, page, r.status_code)
        if page == "photo" and expected == 200:
            assert r["Content-Type"] == "image/jpeg"
            assert "private" in r["Cache-Control"]
    anon = login("anonymous").get(url)
    assert anon.status_code == 302 and anon.url.startswith(reverse("login"))
    assert not getattr(anon, "streaming", False)


def test_photo_file_is_not_reachable_under_media_url(login, photo):
    r = login("alice").get("/media/" + photo.image.name)
    assert r.status_code == 404


def test_unknown_ids_are_404(login):
    c = login("alice")
    for url in ("/tindak-lanjut/rtl/999999/", "/tindak-lanjut/kegiatan/999999/", "/tindak-lanjut/foto/999999/"):
        assert c.get(url).status_code == 404
    assert c.get("/tindak-lanjut/unit/tidak-ada/").status_code == 404
    assert c.get("/tindak-lanjut/?periode=1999-S9").status_code == 404


def _write_actions(plan, items, photo):
    item = items[0]
    row = plan.unsur_rows.order_by("order").first()
    return {
        "realisation": (
            reverse("followup:realisation", args=[item.pk]),
            {"status": "sudah", "realised_on": "2025-05-02", "description": "Rapat"},
        ),
        "photo_upload": (reverse("followup:photo_upload", args=[item.pk]), None),
        "item_create": (
            reverse("followup:item_create", args=[row.pk]),
            {"program": "Baru", "responsible": "Lurah", "schedule": ["2025-1"]},
        ),
        "item_edit": (
            reverse("followup:item_edit", args=[item.pk]),
            {"program": "Diubah", "responsible": "Lurah", "schedule": ["2025-2"]},
        ),
        "unsur_add": (reverse("followup:unsur_add", args=[plan.pk]), {"code": "U6"}),
        "unsur_title": (reverse("followup:unsur_title", args=[row.pk]), {"title": "Sarana Pelayanan"}),
        "unsur_up": (reverse("followup:unsur_up", args=[plan.unsur_rows.order_by("order")[1].pk]), {}),
        "plan_settings": (
            reverse("followup:plan_settings", args=[plan.pk]),
            {"survey_report_date": "2025-01-15", "notes": "x"},
        ),
        "plan_finalise": (reverse("followup:plan_finalise", args=[plan.pk]), {}),
        "photo_delete": (reverse("followup:photo_delete", args=[photo.pk]), {}),
        "item_delete": (reverse("followup:item_delete", args=[items[1].pk]), {}),
    }


@pytest.mark.parametrize(
    "action",
    [
        "realisation",
        "photo_upload",
        "item_create",
        "item_edit",
        "unsur_add",
        "unsur_title",
        "unsur_up",
        "plan_settings",
        "plan_finalise",
        "photo_delete",
        "item_delete",
    ],
)
def test_write_matrix(login, plan, items, photo, action):
    url, data = _write_actions(plan, items, photo)[action]
    if data is None:
        data = {"caption": "Foto", "image": upload("b.png", image_bytes("PNG"))}
    outsider = 404 if action == "photo_delete" else 403
    for who, expected in (("bob", 403), ("charlie", outsider)):
        r = login(who).post(url, data)
        assert r.status_code == expected, (who, action, r.status_code)
    r = login("anonymous").post(url, data)
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    # Nothing changed by the refused requests.
    assert not Realisation.objects.exists()
    assert plan.unsur_rows.order_by("order").first().title == "Sarana dan Prasarana"
    assert EvidencePhoto.objects.count() == 1
    if data.get("image"):
        data["image"] = upload("c.png", image_bytes("PNG"))
    r = login("alice").post(url, data)
    assert r.status_code == 302, (action, r.status_code)


def test_write_get_pages(login, plan, items):
    row = plan.unsur_rows.order_by("order").first()
    for url in (reverse("followup:item_create", args=[row.pk]), reverse("followup:item_edit", args=[items[0].pk])):
        assert login("alice").get(url).status_code == 200
        assert login("bob").get(url).status_code == 403
        assert login("charlie").get(url).status_code == 403
        assert login("admin").get(url).status_code == 200


def test_reopen_only_by_writer(login, plan, items, alice):
    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    url = reverse("followup:plan_reopen", args=[plan.pk])
    assert login("bob").post(url, {"reason": "x"}).status_code == 403
    assert login("charlie").post(url, {"reason": "x"}).status_code == 403
    plan.refresh_from_db()
    assert plan.is_final
    assert login("alice").post(url, {"reason": "Koreksi"}).status_code == 302
    plan.refresh_from_db()
    assert not plan.is_final


def test_final_plan_refuses_edits_in_views(login, plan, items, alice):
    explain_unrealised(plan, alice)
    services.plan_finalise(plan=plan, user=alice)
    c = login("alice")
    r = c.post(
        reverse("followup:realisation", args=[items[0].pk]),
        {"status": "sudah", "realised_on": dt.date(2025, 5, 2).isoformat(), "description": "x"},
    )
    assert r.status_code == 400 and "Buka kembali" in r.content.decode()
    assert not Realisation.objects.filter(status=Realisation.Status.SUDAH).exists()


def test_overview_scoped_to_readable_units(login, plan, other_unit):
    url = reverse("followup:overview") + f"?periode={plan.period.code}"
    assert 'data-unit="pulutan"' in login("bob").get(url).content.decode()
    assert 'data-unit="pulutan"' in login("alice").get(url).content.decode()
    charlie_page = login("charlie").get(url)
    assert charlie_page.status_code == 200
    assert 'data-unit="pulutan"' not in charlie_page.content.decode()
    assert 'data-unit="kpu-tangerang"' in charlie_page.content.decode()
    assert login("anonymous").get(url).status_code == 302
