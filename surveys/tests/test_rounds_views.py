"""The round page: staff open and close their own rounds, a supervisor over the
unit (or an admin) publishes, an outsider gets 403."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import RoundPublication, SurveyRound
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def page(unit):
    return reverse("surveys:round_manage", args=[unit.code])


def step(unit, period, action):
    if action == "publikasikan":  # publishing freezes the report text too: it lives in reports
        return reverse("reports:round_publish", args=[unit.code, period.code])
    return reverse("surveys:round_step", args=[unit.code, period.code, action])


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


@pytest.mark.parametrize(
    ("who", "status", "sees_open_form", "sees_publish"),
    [
        ("alice", 200, True, False),
        ("bob", 200, False, True),
        ("charlie", 403, False, False),
        ("admin_user", 200, True, True),
    ],
)
def test_round_page_by_role(request, client, unit, period, survey_round, who, status, sees_open_form, sees_publish):
    ResponseFactory(unit=unit, period=period)
    SurveyRound.objects.filter(pk=survey_round.pk).update(status="closed")
    login(client, request.getfixturevalue(who))
    response = client.get(page(unit))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert ('name="periode"' in html) is sees_open_form
        assert ("Publikasikan hasil" in html) is sees_publish


def test_anonymous_is_sent_to_login(client, unit):
    response = client.get(page(unit))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_open_a_past_period_and_close_it(client, alice, unit):
    login(client, alice)
    response = client.post(page(unit), {"periode": " 2023-s2 "})
    assert response.status_code == 302
    rnd = SurveyRound.objects.get(unit=unit, period__code="2023-S2")
    assert (rnd.status, rnd.opened_by) == ("open", alice)
    assert client.post(step(unit, rnd.period, "tutup")).status_code == 302
    rnd.refresh_from_db()
    assert (rnd.status, rnd.closed_by) == ("closed", alice)


def test_bad_period_code_is_explained_and_nothing_is_created(client, alice, unit):
    login(client, alice)
    response = client.post(page(unit), {"periode": "2023-S3"})
    assert response.status_code == 400
    assert "Kode periode &#x27;2023-S3&#x27; tidak valid" in response.content.decode()
    assert not SurveyRound.objects.filter(unit=unit).exclude(period__code="2024-S2").exists()


def test_opening_an_open_round_again_is_refused_politely(client, alice, unit, period):
    login(client, alice)
    response = client.post(page(unit), {"periode": "2024-S2"})
    assert response.status_code == 409 and "sudah dibuka" in response.content.decode()


def test_supervisor_publishes_but_cannot_open_or_close(client, bob, unit, period, survey_round):
    ResponseFactory(unit=unit, period=period)
    login(client, bob)
    assert client.post(page(unit), {"periode": "2025-S1"}).status_code == 403
    assert client.post(step(unit, period, "tutup")).status_code == 403
    SurveyRound.objects.filter(pk=survey_round.pk).update(status="closed")
    assert client.post(step(unit, period, "publikasikan")).status_code == 302
    pub = RoundPublication.objects.get()
    assert (pub.version, pub.published_by, pub.respondents) == (1, bob, 1)


def test_staff_cannot_publish_their_own_round(client, alice, unit, period, survey_round):
    ResponseFactory(unit=unit, period=period)
    SurveyRound.objects.filter(pk=survey_round.pk).update(status="closed")
    login(client, alice)
    assert client.post(step(unit, period, "publikasikan")).status_code == 403
    assert not RoundPublication.objects.exists()


def test_outsider_cannot_take_any_step(client, charlie, unit, period):
    login(client, charlie)
    for action in ("buka", "tutup", "publikasikan"):
        assert client.post(step(unit, period, action)).status_code == 403
    assert client.post(page(unit), {"periode": "2025-S1"}).status_code == 403


def test_refused_step_shows_a_message_and_changes_nothing(client, bob, unit, period, survey_round):
    login(client, bob)
    response = client.post(step(unit, period, "publikasikan"), follow=True)  # still open
    assert "harus ditutup dahulu" in response.content.decode()
    assert not RoundPublication.objects.exists()


def test_unknown_round_or_action_is_404(client, alice, unit, period):
    login(client, alice)
    assert client.post(step(unit, period, "hapus")).status_code == 404
    assert client.post(reverse("surveys:round_step", args=[unit.code, period.code, "publikasikan"])).status_code == 404
    assert client.post(reverse("surveys:round_step", args=[unit.code, "2031-S1", "tutup"])).status_code == 404
    assert client.get(step(unit, period, "tutup")).status_code == 405


def test_round_list_shows_every_step(client, alice, bob, unit, period, survey_round):
    """Opened, closed, reopened, closed again, published: the page keeps them all (from the audit history)."""
    login(client, alice)
    assert client.post(step(unit, period, "tutup")).status_code == 302
    assert client.post(step(unit, period, "buka")).status_code == 302
    assert client.post(step(unit, period, "tutup")).status_code == 302
    ResponseFactory(unit=unit, period=period)
    login(client, bob)
    assert client.post(step(unit, period, "publikasikan")).status_code == 302
    for who in (alice, bob):
        login(client, who)
        html = client.get(page(unit)).content.decode()
        steps = html[html.index('class="list-unstyled mb-0 round-steps"') :]
        steps = steps[: steps.index("</ol>")]
        assert steps.count("<li>") == 5, steps  # the cast opened it first
        assert steps.index("Ditutup") < steps.index("Dibuka kembali") < steps.rindex("Ditutup") < steps.index("Versi 1")
        assert "oleh alice" in steps and "oleh bob" in steps


@pytest.mark.usefixtures("during_period")  # 1 October 2024, inside 2024-S2
def test_opening_a_period_that_has_not_started_warns(client, alice, unit, period):
    login(client, alice)
    html = client.post(page(unit), {"periode": "2025-S1"}, follow=True).content.decode()
    assert "Periode Semester I Tahun 2025 belum dimulai" in html and "1 Januari 2025" in html
    assert "periode belum dimulai" in html  # beside the round in the list
    html = client.post(page(unit), {"periode": "2024-S1"}, follow=True).content.decode()
    assert "Putaran Semester I Tahun 2024 dibuka." in html and "belum dimulai:" not in html


@pytest.mark.usefixtures("during_period")
def test_round_list_puts_the_running_period_first_and_the_future_last(client, alice, unit, period):
    login(client, alice)
    for code in ("2025-S1", "2024-S1"):
        client.post(page(unit), {"periode": code})
    html = client.get(page(unit)).content.decode()
    html = html[html.index('id="round-list"') :]
    order = [
        html.index(label) for label in ("Semester II Tahun 2024", "Semester I Tahun 2024", "Semester I Tahun 2025")
    ]
    assert order == sorted(order)
