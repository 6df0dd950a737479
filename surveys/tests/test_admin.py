"""The surveys admin writes periods through the services and never writes
responses or import batches (issue 8)."""

import datetime as dt

import pytest

from conftest import PASSWORD
from surveys.models import ImportBatch, Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.login(username="admin", password=PASSWORD)
    return client


def test_admin_creates_a_period_from_its_code(admin_client):
    response = admin_client.post("/admin/surveys/period/add/", {"code": " 2027-s1 "})
    assert response.status_code == 302
    period = Period.objects.get(code="2027-S1")
    assert (period.kind, period.start_date, period.end_date) == ("semester", dt.date(2027, 1, 1), dt.date(2027, 6, 30))


def test_admin_period_with_a_bad_code_is_refused_in_indonesian(admin_client):
    response = admin_client.post("/admin/surveys/period/add/", {"code": "2027-S3"})
    assert response.status_code == 200
    assert "Kode periode &#x27;2027-S3&#x27; tidak valid" in response.content.decode()
    assert not Period.objects.exists()


def test_admin_cannot_change_or_delete_a_period(admin_client, period):
    """A period is the calendar only; opening and closing belong to each unit's round."""
    response = admin_client.post(f"/admin/surveys/period/{period.pk}/change/", {"code": "1999"})
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.code == "2024-S2"
    assert admin_client.post(f"/admin/surveys/period/{period.pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_reads_rounds_and_publications_but_never_writes_them(admin_client, unit, period, survey_round):
    assert admin_client.get("/admin/surveys/surveyround/").status_code == 200
    assert admin_client.get(f"/admin/surveys/surveyround/{survey_round.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/surveys/surveyround/{survey_round.pk}/change/", {"status": "published"})
    assert response.status_code == 403
    survey_round.refresh_from_db()
    assert survey_round.status == "open"
    assert admin_client.get("/admin/surveys/surveyround/add/").status_code == 403
    assert admin_client.get("/admin/surveys/roundpublication/add/").status_code == 403


def test_admin_cannot_add_or_delete_import_batches(admin_client, unit, period, alice):
    batch = ImportBatch.objects.create(unit=unit, period=period, filename="a.csv", sha256="0" * 64, rows=0)
    assert admin_client.get("/admin/surveys/importbatch/").status_code == 200
    assert admin_client.post(f"/admin/surveys/importbatch/{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/surveys/importbatch/add/").status_code == 403
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


def test_admin_reads_extra_questions_but_never_writes_them(admin_client, unit):
    from surveys.models import ExtraQuestion
    from surveys.tests.factories import ExtraQuestionFactory

    question = ExtraQuestionFactory(unit=unit, text="Dari mana Anda tahu?")
    listing = admin_client.get("/admin/surveys/extraquestion/")
    assert listing.status_code == 200 and "Dari mana Anda tahu?" in listing.content.decode()
    assert admin_client.get("/admin/surveys/extraquestion/add/").status_code == 403
    admin_client.post(f"/admin/surveys/extraquestion/{question.pk}/change/", {"text": "Diubah", "kind": "text"})
    assert ExtraQuestion.objects.get().text == "Dari mana Anda tahu?"
