"""Questionnaire texts in further languages (issue 20 point 6): an admin adds a
language and translates texts; the respondent picks it on the form; missing
texts fall back to Indonesian one by one; the answers pool with every language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from skm.rules.unsur import DEFAULT_BY_CODE
from surveys.languages import source_digest
from surveys.models import QuestionnaireLanguage, QuestionnaireText, Response, SurveyRound
from surveys.services_extra import extra_question_create, extra_question_update
from surveys.services_languages import questionnaire_language_create, questionnaire_texts_save
from surveys.services_rounds import round_set_instruments
from surveys.tests.test_questionnaire import answers, token_from, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]

LIST_URL = "/bahasa-kuesioner/"
U1_JV = "Kepriye panemu panjenengan bab trep-e syarat pelayanan karo jinis pelayanane?"
U1_ID = DEFAULT_BY_CODE["U1"].question
U2_ID = DEFAULT_BY_CODE["U2"].question


def texts_url(code: str = "jv", **query) -> str:
    base = reverse("surveys:language_texts", args=[code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def translate(client, key: str, text: str, *, code: str = "jv", group: str = "SKM", source: str | None = None):
    """POST one translation from the page of ``group``, as the browser sends it."""
    name = key.replace(":", "-")
    data = {f"t-{name}": text}
    if source is not None:
        data[f"s-{name}"] = source_digest(source)
    return client.post(texts_url(code, bagian=group), data)


@pytest.fixture
def jv(admin_user):
    return questionnaire_language_create(user=admin_user, code="jv", name="Basa Jawa")


def test_admin_adds_jv_translates_u1_and_the_form_falls_back_for_the_rest(client, unit, period, admin_user):
    admin = logged_in(admin_user)
    added = admin.post(LIST_URL, {"code": " JV ", "name": "Basa Jawa"})
    assert added.status_code == 302 and added["Location"] == texts_url("jv")
    page = admin.get(texts_url("jv"))
    html = page.content.decode()
    assert page.status_code == 200
    assert U1_ID in html and 'name="t-item-SKM-U1-text"' in html
    assert "0 dari 95 teks" in html  # SKM 1 + 9 x 6, SPKP 1 + 6 + 8 x 2, SPAK 1 + 6 + 5 x 2
    saved = translate(admin, "item:SKM:U1:text", U1_JV, source=U1_ID)
    assert saved.status_code == 302
    assert translate(admin, "item:SKM:U1:label:4", "Trep banget").status_code == 302
    assert "2 dari 95 teks" in admin.get(texts_url("jv")).content.decode()
    row = QuestionnaireText.objects.get(key="item:SKM:U1:text")
    assert (row.text, row.source, row.history.get().history_user) == (U1_JV, U1_ID, admin_user)
    assert QuestionnaireLanguage.history.get().history_user == admin_user

    jv_html = client.get(url(unit, bahasa="jv")).content.decode()
    assert f'<span lang="jv">{U1_JV}</span>' in jv_html and '<span lang="jv">Trep banget</span>' in jv_html
    assert U1_ID not in jv_html
    assert U2_ID in jv_html and "Kurang sesuai" in jv_html  # the rest: Indonesian
    assert "Pertanyaan yang belum diterjemahkan tampil dalam bahasa Indonesia." in jv_html
    assert "Data responden" in jv_html  # the interface stays in the Django language
    assert '<input type="hidden" name="bahasa" value="jv">' in jv_html
    buttons = re.search(r'<nav class="mb-3" id="bahasa-kuesioner".*?</nav>', jv_html, re.S).group(0)
    assert 'aria-current="true">Basa Jawa</a>' in buttons and "Bahasa Indonesia</a>" in buttons

    id_html = Client().get(url(unit)).content.decode()
    assert U1_ID in id_html and U1_JV not in id_html and 'id="bahasa-kuesioner"' in id_html


def test_no_further_language_no_buttons_and_unknown_or_inactive_codes_read_as_indonesian(
    client, unit, period, admin_user
):
    assert 'id="bahasa-kuesioner"' not in client.get(url(unit)).content.decode()
    language = questionnaire_language_create(user=admin_user, code="su", name="Basa Sunda", active=False)
    questionnaire_texts_save(language=language, user=admin_user, texts={"item:SKM:U1:text": "Kumaha ..."})
    for code in ("su", "xx", "EN!", "a" * 300):
        html = Client().get(url(unit, bahasa=code)).content.decode()
        assert U1_ID in html and "Kumaha" not in html and 'name="bahasa"' not in html
        assert 'id="bahasa-kuesioner"' not in html


def test_a_post_in_jv_stores_the_same_scores_as_in_indonesian(client, unit, period, alice, admin_user, jv):
    round_set_instruments(round=SurveyRound.objects.get(unit=unit, period=period), user=alice, instruments=["SPAK"])
    question = extra_question_create(
        unit=unit, user=alice, text="Dari mana Anda tahu layanan ini?", kind="single", choices=["Teman", "Radio"]
    )
    questionnaire_texts_save(
        language=jv,
        user=admin_user,
        texts={
            "item:SKM:U3:text": "Kepriye kacepetan pelayanane?",
            "scale:SPAK:label:6": "Setuju banget",
            "item:SPAK:AK1:text": "Ora ana bedakake pelayanan.",
            "instrument:SPAK:name": "Survei Persepsi Anti Korupsi (Jawa)",
            f"extra:{question.pk}:text": "Saka ngendi panjenengan ngerti layanan iki?",
            f"extra:{question.pk}:choice:1": "Kanca",
        },
    )
    spak = {f"ak{i}": str(i + 1) for i in range(1, 6)}
    page = client.get(url(unit, bahasa="jv"))
    html = page.content.decode()
    assert '<span lang="jv">Setuju banget</span>' in html and "Sangat setuju" not in html
    assert "Survei Persepsi Anti Korupsi (Jawa)" in html and "Kepriye kacepetan pelayanane?" in html
    # The choice is stored as its Indonesian text, shown in Javanese.
    assert f'name="t{question.pk}" value="Teman"' in html and '<span lang="jv">Kanca</span>' in html
    assert "Saka ngendi panjenengan ngerti layanan iki?" in html
    data = answers(token=token_from(html), **spak, **{question.field: "Teman"})
    assert client.post(url(unit, bahasa="jv"), data).status_code == 302

    other = Client()
    data = answers(token=token_from(other.get(url(unit)).content.decode()), **spak, **{question.field: "Teman"})
    assert other.post(url(unit), data).status_code == 302

    jv_row, id_row = Response.objects.order_by("id")
    assert jv_row.scores == id_row.scores == {"SKM": [1 + i % 4 for i in range(1, 10)], "SPAK": [2, 3, 4, 5, 6]}
    assert jv_row.extra == id_row.extra == {question.key: "Teman"}


def test_the_hidden_field_keeps_the_language_when_the_post_comes_back(client, unit, period, admin_user, jv):
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    html = client.get(url(unit, bahasa="jv")).content.decode()
    data = answers(token=token_from(html), bahasa="jv")
    del data["u5"]
    back = client.post(url(unit), data)  # no ?bahasa in the URL: the hidden field carries it
    assert back.status_code == 400
    body = back.content.decode()
    assert U1_JV in body and "Pertanyaan nomor 5 belum dijawab." in body
    assert '<input type="hidden" name="bahasa" value="jv">' in body


def test_thanks_page_returns_to_the_form_in_the_same_language(client, unit, period, jv):
    html = client.get(url(unit, bahasa="jv", kiosk="1")).content.decode()
    done = client.post(url(unit, bahasa="jv", kiosk="1"), answers(token=token_from(html)))
    assert done.status_code == 302
    thanks = client.get(done["Location"]).content.decode()
    assert "bahasa=jv" in thanks


def test_english_interface_with_jv_marks_the_indonesian_fallbacks(client, unit, period, admin_user, jv):
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    client.post(reverse("choose_language"), {"language": "en", "next": url(unit)})
    html = client.get(url(unit, bahasa="jv")).content.decode()
    assert f'<span lang="jv">{U1_JV}</span>' in html
    assert f'<span lang="id">{U2_ID}</span>' in html  # Indonesian, never the English translation
    assert "How easy is the service procedure" not in html
    assert "Respondent" in html or "respondent" in html  # the chrome in English
    buttons = re.search(r'<nav class="mb-3" id="bahasa-kuesioner".*?</nav>', html, re.S).group(0)
    assert 'lang="en"' in buttons and "English</a>" in buttons


def test_the_cached_page_differs_per_questionnaire_language(unit, period, admin_user, jv):
    from surveys.selectors import questionnaire_context

    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    plain = Client().get(url(unit)).content.decode()
    javanese = Client().get(url(unit, bahasa="jv")).content.decode()
    again = Client().get(url(unit, bahasa="jv")).content.decode()
    assert U1_JV in javanese and U1_JV in again and U1_JV not in plain and U1_ID in plain
    keys = list(questionnaire_context(code=unit.code).pages)
    assert len(keys) == 2
    assert sorted(str(k[8]) for k in keys) == sorted(["None", str(("jv", jv_digest(unit)))])
    # A new translation shows at once: the texts' digest is in the key.
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U2:text": "Gampang ora?"})
    assert "Gampang ora?" in Client().get(url(unit, bahasa="jv")).content.decode()
    assert "Gampang ora?" not in Client().get(url(unit)).content.decode()


def jv_digest(unit) -> str:
    from surveys.selectors_languages import questionnaire_language_pack

    return questionnaire_language_pack(code="jv", unit=unit).digest


def test_second_get_in_jv_makes_no_query(unit, period, admin_user, jv, django_assert_num_queries):
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    Client().get(url(unit, bahasa="jv"))
    with django_assert_num_queries(0):
        page = Client().get(url(unit, bahasa="jv"))
    assert U1_JV in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("admin_user", 200), ("alice", 403), ("bob", 403), ("charlie", 403)], ids=str
)
def test_language_pages_are_for_admins_only(request, unit, jv, who, status):
    client = logged_in(request.getfixturevalue(who))
    assert client.get(LIST_URL).status_code == status
    assert client.get(texts_url("jv")).status_code == status
    added = client.post(LIST_URL, {"code": "su", "name": "Basa Sunda"})
    assert added.status_code == (302 if status == 200 else 403)
    posted = translate(client, "item:SKM:U1:text", U1_JV)
    assert posted.status_code == (302 if status == 200 else 403)
    assert QuestionnaireText.objects.exists() is (status == 200)


def test_language_pages_send_the_anonymous_to_the_login(client, jv):
    for target in (LIST_URL, texts_url("jv")):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(texts_url("zz")).status_code == 302


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("id", "Bahasa Indonesia dan bahasa Inggris sudah tersedia"),
        ("en-gb", "Bahasa Indonesia dan bahasa Inggris sudah tersedia"),
        ("EN!", "Kode bahasa hanya boleh memuat huruf a-z"),
        ("j", "Kode bahasa hanya boleh memuat huruf a-z"),
        ("jv ngoko", "Kode bahasa hanya boleh memuat huruf a-z"),
        ("basa-jawa-ngoko", "Kode bahasa paling banyak 12 karakter"),
        ("", "Isi kode bahasa"),
    ],
)
def test_bad_codes_get_clear_indonesian_errors(admin_user, code, message):
    response = logged_in(admin_user).post(LIST_URL, {"code": code, "name": "Basa Jawa"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not QuestionnaireLanguage.objects.exists()


def test_a_code_twice_and_a_missing_name_are_refused(admin_user, jv):
    admin = logged_in(admin_user)
    twice = admin.post(LIST_URL, {"code": "jv", "name": "Jawa"}).content.decode()
    assert "Bahasa dengan kode jv sudah ada." in twice
    unnamed = admin.post(LIST_URL, {"code": "su", "name": "  "}).content.decode()
    assert "Isi nama bahasa seperti yang dibaca responden" in unnamed
    assert list(QuestionnaireLanguage.objects.values_list("code", flat=True)) == ["jv"]


def test_a_too_long_translation_is_refused_and_nothing_is_saved(admin_user, jv):
    admin = logged_in(admin_user)
    response = admin.post(
        texts_url("jv", bagian="SKM"),
        {"t-item-SKM-U1-text": "x" * 501, "t-item-SKM-U2-text": "Gampang ora?"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Terjemahan paling banyak 500 karakter." in html and 'href="#id_t-item-SKM-U1-text"' in html
    assert not QuestionnaireText.objects.exists()


def test_a_text_reworded_while_translating_is_not_saved_blindly(unit, alice, admin_user, jv):
    question = extra_question_create(unit=unit, user=alice, text="Kunjungan ke berapa?", kind="text")
    admin = logged_in(admin_user)
    page = admin.get(texts_url("jv", bagian="tambahan")).content.decode()
    assert "Kunjungan ke berapa?" in page and "Kelurahan Pulutan" in page
    extra_question_update(question=question, user=alice, text="Ini kunjungan Anda yang ke berapa?", kind="text")
    response = translate(
        admin,
        f"extra:{question.pk}:text",
        "Iki kunjungan kaping pira?",
        group="tambahan",
        source="Kunjungan ke berapa?",
    )
    assert response.status_code == 400
    assert "Teks bahasa Indonesia ini baru saja diubah." in response.content.decode()
    assert not QuestionnaireText.objects.exists()


def test_a_translation_of_an_earlier_wording_falls_back_until_renewed(client, unit, period, alice, admin_user, jv):
    question = extra_question_create(unit=unit, user=alice, text="Kunjungan ke berapa?", kind="text")
    key = f"extra:{question.pk}:text"
    questionnaire_texts_save(language=jv, user=admin_user, texts={key: "Kunjungan kaping pira?"})
    assert "Kunjungan kaping pira?" in client.get(url(unit, bahasa="jv")).content.decode()
    extra_question_update(question=question, user=alice, text="Ini kunjungan Anda yang ke berapa?", kind="text")
    html = Client().get(url(unit, bahasa="jv")).content.decode()
    assert "Ini kunjungan Anda yang ke berapa?" in html and "Kunjungan kaping pira?" not in html
    page = logged_in(admin_user).get(texts_url("jv", bagian="tambahan")).content.decode()
    assert "perlu diperbarui" in page and "Kunjungan kaping pira?" in page
    assert ">0/1</span>" in page  # the outdated translation does not count


def test_an_emptied_translation_is_removed_with_its_author_on_record(client, unit, period, admin_user, jv):
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    admin = logged_in(admin_user)
    assert translate(admin, "item:SKM:U1:text", "   ").status_code == 302
    assert not QuestionnaireText.objects.exists()
    removed = QuestionnaireText.history.filter(history_type="-").get()
    assert removed.history_user == admin_user and removed.text == U1_JV
    assert U1_ID in client.get(url(unit, bahasa="jv")).content.decode()


def test_an_inactive_language_leaves_the_form_and_keeps_its_texts(client, unit, period, admin_user, jv):
    questionnaire_texts_save(language=jv, user=admin_user, texts={"item:SKM:U1:text": U1_JV})
    admin = logged_in(admin_user)
    assert admin.post(texts_url("jv"), {"aksi": "bahasa", "name": "Basa Jawa"}).status_code == 302
    jv.refresh_from_db()
    assert jv.active is False and QuestionnaireText.objects.count() == 1
    html = client.get(url(unit, bahasa="jv")).content.decode()
    assert U1_JV not in html and 'id="bahasa-kuesioner"' not in html
    listing = admin.get(LIST_URL).content.decode()
    assert "Tidak ditampilkan" in listing and "1 dari 95 teks" in listing


def test_the_extra_questions_page_groups_by_unit_and_paginates(unit, other_unit, alice, admin_user, jv):
    for n in range(12):
        extra_question_create(
            unit=unit if n < 6 else other_unit, user=admin_user, text=f"Pertanyaan nomor {n}?", kind="text"
        )
    admin = logged_in(admin_user)
    first = admin.get(texts_url("jv", bagian="tambahan")).content.decode()
    assert "Halaman 1 dari 2" in first and "KPU Kabupaten Tangerang" in first
    second = admin.get(texts_url("jv", bagian="tambahan", halaman=2)).content.decode()
    assert second.count('name="t-extra-') == 2
