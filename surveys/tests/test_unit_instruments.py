"""A unit's own copy of the SPAK template (issue 20 point 2: editable templates):
its wording and weights, used by the unit's round, fixed once answered.

Weights 2/5, 1/5, 1/5, 1/10, 1/10; answers AK1..AK5 [6, 5, 4, 3, 2] and
[4, 5, 6, blank, 2]: NRR 5, 5, 5, 3, 2. Index = (2/5 x 5 + 1/5 x 5 + 1/5 x 5 +
1/10 x 3 + 1/10 x 2) x 100/6 = 9/2 x 100/6 = 75 (with equal weights it would be
4 x 100/6 = 200/3 = 66,67).
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from surveys.answers import instrument_get
from surveys.models import SurveyRound, UnitInstrument
from surveys.results_instruments import instrument_results_get
from surveys.services import response_create_paper
from surveys.services_instruments import unit_instrument_create, unit_instrument_delete, unit_instrument_update
from surveys.services_rounds import round_set_instruments
from surveys.tests.factories import SurveyRoundFactory

pytestmark = pytest.mark.django_db

WEIGHTS = ["2/5", "0,2", "1/5", "0.1", "1/10"]
TEXTS = {"AK1": "Petugas melayani semua warga tanpa membeda-bedakan."}


@pytest.fixture
def copy(unit, alice):
    row = unit_instrument_create(unit=unit, base="SPAK", user=alice)
    texts = {item.code: item.text.id for item in instrument_get("SPAK").items} | TEXTS
    return unit_instrument_update(instrument=row, user=alice, name="SPAK Kelurahan", texts=texts, weights=WEIGHTS)


def test_copy_keeps_the_unit_wording_and_exact_weights(copy, unit):
    assert copy.code == f"SPAK-{unit.pk}"
    assert copy.weights == ["2/5", "1/5", "1/5", "1/10", "1/10"]
    assert copy.texts == TEXTS  # only what differs from the template is stored
    built = instrument_get(copy.code)
    assert built.item("AK1").text.id == TEXTS["AK1"]
    assert built.item("AK2").text.id == instrument_get("SPAK").item("AK2").text.id
    assert built.item_weights == (Fraction(2, 5), Fraction(1, 5), Fraction(1, 5), Fraction(1, 10), Fraction(1, 10))
    assert copy.history.first().history_user is not None


def test_round_with_the_copy_computes_the_index_with_its_weights(copy, unit, period, alice, during_period):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code])
    for spak in ([6, 5, 4, 3, 2], [4, 5, 6, None, 2]):
        response_create_paper(
            unit=unit,
            period=period,
            user=alice,
            answers={"U1": 4},
            more={copy.code: dict(zip(["AK1", "AK2", "AK3", "AK4", "AK5"], spak, strict=True))},
        )
    result = instrument_results_get(unit=unit, period=period, instrument=copy.code).pooled
    assert [i.nrr for i in result.items] == [5, 5, 5, 3, 2]
    assert result.index_exact == Fraction(75) and result.index == Decimal("75.00")
    assert instrument_results_get(unit=unit, period=period, instrument=copy.code).respondents == 2
    # Answered: the copy is now a fixed record.
    with pytest.raises(ValidationError) as caught:
        unit_instrument_update(instrument=copy, user=alice, name="Lain", texts={}, weights=[])
    assert "sudah dijawab responden" in caught.value.messages[0]
    assert UnitInstrument.objects.get(pk=copy.pk).name == "SPAK Kelurahan"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (["1/5", "1/5", "1/5", "1/5", "1/4"], "Jumlah bobot harus tepat 1; jumlahnya 21/20."),
        (["1/5", "1/5", "1/5", "1/5", "dua"], "Bobot butir ke-5 tidak valid: 'dua'."),
        (["1/5", "1/5", "1/5", "2/5", "0"], "Bobot ke-5 harus lebih dari nol; diberikan 0."),
    ],
)
def test_bad_weights_are_refused_and_nothing_changes(copy, alice, weights, message):
    with pytest.raises(ValidationError) as caught:
        unit_instrument_update(instrument=copy, user=alice, name="X", texts={}, weights=weights)
    assert caught.value.messages[0].startswith(message)
    assert UnitInstrument.objects.get(pk=copy.pk).weights == ["2/5", "1/5", "1/5", "1/10", "1/10"]


def test_another_unit_cannot_ask_the_copy(copy, other_unit, period, alice):
    rnd = SurveyRoundFactory(unit=other_unit, period=period)
    with pytest.raises(ValidationError) as caught:
        round_set_instruments(round=rnd, user=alice, instruments=[copy.code])
    assert caught.value.messages == [f"Instrumen {copy.code} milik unit lain dan tidak dapat dipakai di putaran ini."]


def test_only_templates_are_copied(unit, alice):
    with pytest.raises(ValidationError) as caught:
        unit_instrument_create(unit=unit, base="SKM", user=alice)
    assert caught.value.messages == ["Templat harus SPKP atau SPAK."]
    second = unit_instrument_create(unit=unit, base="SPAK", user=alice)
    third = unit_instrument_create(unit=unit, base="SPAK", user=alice)
    assert (second.code, third.code) == (f"SPAK-{unit.pk}", f"SPAK-{unit.pk}-2")


@pytest.mark.parametrize(
    ("user", "read", "write"),
    [("alice", 200, 302), ("bob", 200, 403), ("charlie", 403, 403), ("admin_user", 200, 302)],
)
def test_pages_permission_matrix(client, request, unit, copy, user, read, write):
    who = request.getfixturevalue(user)
    client.login(username=who.username, password=PASSWORD)
    list_url = reverse("surveys:instrument_list", args=[unit.code])
    edit_url = reverse("surveys:instrument_edit", args=[unit.code, copy.code])
    assert client.get(list_url).status_code == read
    assert client.get(edit_url).status_code == read
    assert client.post(list_url, {"templat": "SPKP"}).status_code == write
    data = {"nama": "Baru", **{f"teks-AK{i}": f"Pernyataan {i}" for i in range(1, 6)}}
    assert client.post(edit_url, data).status_code == write
    expected = "Baru" if write == 302 else "SPAK Kelurahan"
    assert UnitInstrument.objects.get(pk=copy.pk).name == expected


def test_edit_page_shows_errors_in_indonesian(client, alice, unit, copy):
    client.login(username=alice.username, password=PASSWORD)
    url = reverse("surveys:instrument_edit", args=[unit.code, copy.code])
    data = {"nama": "", **{f"teks-AK{i}": "x" for i in range(1, 6)}}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Nama instrumen wajib diisi." in response.content.decode()
    assert client.get(reverse("surveys:instrument_edit", args=[unit.code, "SPAK-999"])).status_code == 404


def test_questionnaire_asks_the_unit_wording(client, unit, period, alice, copy, during_period):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code])
    html = client.get(reverse("surveys:questionnaire", args=[unit.code])).content.decode()
    assert TEXTS["AK1"] in html and "SPAK Kelurahan" in html


def test_copy_languages_keep_the_template_english_where_unchanged():
    from surveys.answers import unit_copy_build

    template = instrument_get("SPAK")
    kept = unit_copy_build(base="SPAK", code="SPAK-X", name=template.name.id, texts={}, weights=[])
    assert kept.name.get("en") == "Anti-Corruption Perception Survey"
    assert kept.items[1].text.get("en") == template.items[1].text.get("en") != template.items[1].text.id

    own = unit_copy_build(base="SPAK", code="SPAK-X", name="SPAK Kelurahan", texts=TEXTS, weights=[])
    assert own.name.get("en") == "SPAK Kelurahan"
    # The changed statement has no English of its own: every language shows the unit's wording.
    assert own.items[0].text.get("en") == own.items[0].text.id == TEXTS["AK1"]
    assert own.items[1].text.get("en") == template.items[1].text.get("en")


def test_an_unused_copy_is_deleted_and_the_history_names_who(copy, alice):
    unit_instrument_delete(instrument=copy, user=alice)
    assert not UnitInstrument.objects.filter(pk=copy.pk).exists()
    last = UnitInstrument.history.filter(id=copy.pk).latest("history_date")
    assert (last.history_type, last.history_user) == ("-", alice)


def test_a_copy_a_round_asks_is_not_deleted(copy, unit, period, alice):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code])
    with pytest.raises(ValidationError, match=f"masih dipilih pada putaran {period.label}"):
        unit_instrument_delete(instrument=copy, user=alice)
    assert UnitInstrument.objects.filter(pk=copy.pk).exists()


def test_an_answered_copy_is_not_deleted(copy, unit, period, alice, during_period):
    rnd = round_set_instruments(
        round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code]
    )
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4}, more={copy.code: {"AK1": 6}})
    # Even once no round asks it any more, its answers stay on record.
    SurveyRound.objects.filter(pk=rnd.pk).update(instruments=["SKM"])
    with pytest.raises(ValidationError, match="sudah dijawab responden"):
        unit_instrument_delete(instrument=copy, user=alice)
    assert UnitInstrument.objects.filter(pk=copy.pk).exists()


@pytest.mark.parametrize(
    ("user", "status", "kept"), [("alice", 302, False), ("bob", 403, True), ("charlie", 403, True)]
)
def test_delete_permission_matrix(client, request, unit, copy, user, status, kept):
    who = request.getfixturevalue(user)
    client.login(username=who.username, password=PASSWORD)
    url = reverse("surveys:instrument_delete", args=[unit.code, copy.code])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == status
    assert UnitInstrument.objects.filter(pk=copy.pk).exists() is kept
    if status == 302:
        assert response.url == reverse("surveys:instrument_list", args=[unit.code])
        page = client.get(response.url).content.decode()
        assert f"Salinan {copy.code} dihapus." in page
        assert "belum memiliki salinan instrumen" in page


def test_delete_refused_shows_why_and_unknown_copy_is_404(client, alice, unit, period, copy):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code])
    client.login(username=alice.username, password=PASSWORD)
    response = client.post(reverse("surveys:instrument_delete", args=[unit.code, copy.code]), follow=True)
    assert f"masih dipilih pada putaran {period.label}" in response.content.decode()
    assert UnitInstrument.objects.filter(pk=copy.pk).exists()
    assert client.post(reverse("surveys:instrument_delete", args=[unit.code, "SPAK-999"])).status_code == 404


def test_copy_english_is_the_units_own_where_given():
    from surveys.answers import unit_copy_build

    template = instrument_get("SPAK")
    own = unit_copy_build(
        base="SPAK",
        code="SPAK-X",
        name="SPAK Kelurahan",
        texts=TEXTS,
        weights=[],
        name_en="Sub-district SPAK",
        texts_en={"AK1": "Officers serve every resident without discrimination.", "AK2": "No cheating at all."},
    )
    assert (own.name.get("id"), own.name.get("en")) == ("SPAK Kelurahan", "Sub-district SPAK")
    assert own.items[0].text.get("id") == TEXTS["AK1"]
    assert own.items[0].text.get("en") == "Officers serve every resident without discrimination."
    # AK2 keeps the template's Indonesian, with the unit's English.
    assert own.items[1].text.get("id") == template.items[1].text.id
    assert own.items[1].text.get("en") == "No cheating at all."
    assert own.items[2].text == template.items[2].text


def test_update_stores_only_the_english_that_differs(copy, alice):
    template = instrument_get("SPAK")
    texts = {item.code: item.text.id for item in template.items} | TEXTS
    texts_en = {
        "AK1": "  Officers serve everyone alike. ",
        "AK2": template.items[1].text.en,  # the template's own English: nothing to store
        "AK3": "",
    }
    row = unit_instrument_update(
        instrument=copy,
        user=alice,
        name="SPAK Kelurahan",
        texts=texts,
        weights=WEIGHTS,
        name_en="Sub-district SPAK",
        texts_en=texts_en,
    )
    row.refresh_from_db()
    assert (row.name_en, row.texts_en) == ("Sub-district SPAK", {"AK1": "Officers serve everyone alike."})
    built = instrument_get(row.code)
    assert built.items[0].text.get("en") == "Officers serve everyone alike."
    assert built.items[2].text.get("en") == template.items[2].text.en

    with pytest.raises(ValidationError, match="AK1 dalam bahasa Inggris paling banyak 500 karakter"):
        unit_instrument_update(
            instrument=copy, user=alice, name="X", texts=texts, weights=WEIGHTS, texts_en={"AK1": "a" * 501}
        )
    row.refresh_from_db()
    assert row.name == "SPAK Kelurahan"  # nothing half-saved


def test_questionnaire_in_english_shows_the_units_english(client, unit, period, alice, copy, during_period, settings):
    client.login(username=alice.username, password=PASSWORD)
    data = {
        "nama": "SPAK Kelurahan",
        "nama-en": "Sub-district SPAK",
        **{f"teks-{item.code}": item.text.id for item in instrument_get("SPAK").items},
        "teks-AK1": TEXTS["AK1"],
        "teks-en-AK1": "Officers serve everyone <b>alike</b>.",
    }
    edit_url = reverse("surveys:instrument_edit", args=[unit.code, copy.code])
    assert client.post(edit_url, data).status_code == 302
    page = client.get(edit_url).content.decode()
    assert "Officers serve everyone &lt;b&gt;alike&lt;/b&gt;." in page and 'value="Sub-district SPAK"' in page
    client.logout()
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=[copy.code])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("surveys:questionnaire", args=[unit.code])).content.decode()
    assert "Officers serve everyone &lt;b&gt;alike&lt;/b&gt;." in html and "Sub-district SPAK" in html
    assert TEXTS["AK1"] not in html
