"""Paper entry screen: permissions, blanks kept as NULL, closed periods."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import Response
from surveys.services_rounds import round_close, round_open
from surveys.tests.factories import PeriodFactory, ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def entry_url(unit, period_code="2024-S2"):
    return reverse("surveys:paper_entry", args=[unit.code]) + f"?periode={period_code}"


def row(**overrides):
    data = {"nomor": "", "jenis_kelamin": "l", "usia": "41", "pendidikan": "SMA", "pekerjaan": "BURUH", "saran": ""}
    data.update({f"u{i}": v for i, v in enumerate(["4", "c", "", "D", "1", "2", "b", "3", "a"], start=1)})
    data.update(overrides)
    return data


@pytest.fixture
def as_alice(client, alice):
    client.login(username="alice", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 403), ("charlie", 403), (None, 302)]
)
def test_entry_permissions(request, client, unit, period, who, status):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    assert client.get(entry_url(unit)).status_code == status
    post = client.post(entry_url(unit), row())
    assert post.status_code == (302 if status in (200, 302) else 403)
    assert Response.objects.count() == (1 if status == 200 else 0)


def test_entry_stores_letters_digits_and_blanks(as_alice, alice, unit, period):
    response = as_alice.post(entry_url(unit), row(saran="Ruang tunggu sempit"))
    assert response.status_code == 302
    r = Response.objects.get()
    assert r.channel == Response.Channel.PAPER and r.created_by == alice and r.number == 1
    assert list(r.answers().values()) == [4, 3, None, 4, 1, 2, 2, 3, 1]
    assert (r.gender, r.age, r.education, r.occupation) == ("L", 41, "SMA", "BURUH")
    assert r.suggestion == "Ruang tunggu sempit"
    as_alice.post(entry_url(unit), row())
    assert list(Response.objects.order_by("id").values_list("number", flat=True)) == [1, 2]


def test_entry_json_for_keyboard_screen(as_alice, unit, period):
    response = as_alice.post(entry_url(unit), row(nomor="17"), headers={"x-requested-with": "fetch"})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["number"] == 17 and data["count"] == 1
    assert "<tr" in data["row"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("u3", "5", "Nilai '5' tidak valid (1-4 atau a-d)."),
        ("u9", "e", "Nilai 'e' tidak valid"),
        ("jenis_kelamin", "x", "Jenis kelamin harus L atau P."),
        ("usia", "200", "Usia maksimal 120."),
    ],
)
def test_entry_rejects_bad_values(as_alice, unit, period, field, value, message):
    response = as_alice.post(entry_url(unit), row(**{field: value}), headers={"x-requested-with": "fetch"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert message in errors[field][0]["message"]
    assert Response.objects.count() == 0


def test_entry_needs_at_least_one_answer(as_alice, unit, period):
    data = row(**{f"u{i}": "" for i in range(1, 10)})
    response = as_alice.post(entry_url(unit), data)
    assert response.status_code == 400
    assert "Isi minimal satu jawaban U1-U9." in response.content.decode()


def test_entry_refuses_a_closed_round(as_alice, unit, period, survey_round, alice):
    round_close(round=survey_round, user=alice)
    page = as_alice.get(entry_url(unit, "2024-S2"))
    assert "tidak sedang dibuka" in page.content.decode() and 'id="entry-form"' not in page.content.decode()
    response = as_alice.post(entry_url(unit, "2024-S2"), row(), headers={"x-requested-with": "fetch"})
    assert response.status_code == 409
    assert "tidak sedang dibuka" in response.json()["errors"]["__all__"][0]
    assert Response.objects.count() == 0


def test_staff_reopen_a_past_round_for_paper_forms(as_alice, unit, alice):
    """2023-S2 ended long ago; opening the unit's round lets staff type its paper forms."""
    old = PeriodFactory(code="2023-S2", start_date="2023-07-01", end_date="2023-12-31")
    assert as_alice.post(entry_url(unit, "2023-S2"), row(), headers={"x-requested-with": "fetch"}).status_code == 409
    round_open(unit=unit, period=old, user=alice)
    saved = as_alice.post(entry_url(unit, "2023-S2"), row(), headers={"x-requested-with": "fetch"})
    assert saved.status_code == 200 and saved.json()["number"] == 1
    assert Response.objects.get().period == old


def test_entry_unknown_period_404(as_alice, unit, period):
    assert as_alice.get(entry_url(unit, "2099-S1")).status_code == 404


def test_entry_service_must_belong_to_unit(as_alice, unit, period, other_unit):
    mine = ServiceFactory(unit=unit, name="KTP")
    foreign = ServiceFactory(unit=other_unit, name="Asing")
    assert as_alice.post(entry_url(unit), row(layanan=str(foreign.pk))).status_code == 400
    assert as_alice.post(entry_url(unit), row(layanan=str(mine.pk))).status_code == 302
    assert Response.objects.get().service == mine


def test_entry_list_is_paginated_and_scoped(as_alice, unit, period, other_unit):
    for n in range(1, 31):
        ResponseFactory(unit=unit, period=period, channel=Response.Channel.PAPER, number=n)
    ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB, number=999)
    ResponseFactory(unit=other_unit, period=period, channel=Response.Channel.PAPER, number=555)
    html = as_alice.get(entry_url(unit)).content.decode()
    assert "Halaman 1 dari 2" in html and '(<span id="entry-count">30</span>)' in html
    assert ">999<" not in html and ">555<" not in html
    page2 = as_alice.get(entry_url(unit) + "&hal=2").content.decode()
    assert ">1</a></td>" in page2


def test_entry_empty_state(as_alice, unit, period):
    assert "Belum ada kuesioner kertas" in as_alice.get(entry_url(unit)).content.decode()


def test_delete_paper_row(client, alice, bob, charlie, unit, period):
    r = ResponseFactory(unit=unit, period=period, channel=Response.Channel.PAPER, number=1)
    web = ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB)
    path = reverse("surveys:paper_delete", args=[unit.code, r.pk])
    for user in ("bob", "charlie"):
        client.login(username=user, password=PASSWORD)
        assert client.post(path).status_code == 403
    client.logout()
    assert client.post(path).status_code == 302 and Response.objects.filter(pk=r.pk).exists()
    client.login(username="alice", password=PASSWORD)
    assert client.get(path).status_code == 405
    assert client.post(reverse("surveys:paper_delete", args=[unit.code, web.pk])).status_code == 404
    # The reason is required: without it nothing is deleted.
    assert client.post(path).status_code == 302
    assert Response.objects.filter(pk=r.pk).exists()
    assert client.post(path, {"alasan": "Salah ketik"}).status_code == 302
    assert not Response.objects.filter(pk=r.pk).exists()
    deleted = Response.all_objects.get(pk=r.pk)
    assert deleted.delete_reason == "Salah ketik" and deleted.deleted_by.username == "alice"


def test_delete_refused_in_a_closed_round(as_alice, unit, period, survey_round, alice):
    r = ResponseFactory(unit=unit, period=period, channel=Response.Channel.PAPER, number=1)
    round_close(round=survey_round, user=alice)
    as_alice.post(reverse("surveys:paper_delete", args=[unit.code, r.pk]), {"alasan": "Salah ketik"})
    assert Response.objects.filter(pk=r.pk).exists()


def test_duplicate_number_is_refused_until_confirmed(as_alice, unit, period):
    fetch = {"x-requested-with": "fetch"}
    assert as_alice.post(entry_url(unit), row(nomor="5"), headers=fetch).status_code == 200
    again = as_alice.post(entry_url(unit), row(nomor="5"), headers=fetch)
    assert again.status_code == 409
    data = again.json()
    assert data["duplicate"] is True
    assert "Nomor kuesioner 5 sudah dipakai" in data["errors"]["nomor"][0]["message"]
    assert Response.objects.count() == 1
    confirmed = as_alice.post(entry_url(unit), row(nomor="5", konfirmasi_duplikat="1"), headers=fetch)
    assert confirmed.status_code == 200
    assert list(Response.objects.values_list("number", flat=True)) == [5, 5]


def test_duplicate_number_without_javascript_shows_the_confirmation(as_alice, unit, period):
    as_alice.post(entry_url(unit), row(nomor="8"))
    page = as_alice.post(entry_url(unit), row(nomor="8"))
    assert page.status_code == 409
    html = page.content.decode()
    assert (
        'id="duplicate-warning"' in html and 'name="konfirmasi_duplikat" id="id_konfirmasi_duplikat" value="1"' in html
    )
    assert Response.objects.count() == 1


def test_entry_selects_show_labels_and_usual_words(as_alice, unit, period):
    html = as_alice.get(entry_url(unit)).content.decode()
    assert 'value="STRATA" data-keys="' in html and "s1" in html.split('value="STRATA" data-keys="')[1].split('"')[0]
    swasta_keys = html.split('value="SWASTA" data-keys="')[1].split('"')[0].split("|")
    assert "swasta" in swasta_keys and "karyawan swasta" in swasta_keys
    assert ">Strata (S1-S3)</option>" in html and ">Karyawan</option>" in html
