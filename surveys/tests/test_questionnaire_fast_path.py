"""The questionnaire POST on PostgreSQL: throttle count, insert and tally
change in ONE statement; the round is re-checked inside it."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Response, SubmissionThrottle, SurveyRound
from surveys.tests.tallies import tally as skm_tally
from surveys.tests.test_questionnaire import answers, token_from, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]

needs_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's")
# Through a transaction-pooling PgBouncer (SKM_DB_POOLER, the PgBouncer slice of
# scripts/test.sh) the web insert is not prepared: a statement is not kept across transactions.
prepared_here = pytest.mark.skipif(
    django_settings.SKM_TRANSACTION_POOLING, reason="no prepared statements through a transaction-pooling PgBouncer"
)


def post(client, unit):
    page = client.get(url(unit))
    data = answers(token=token_from(page.content.decode()))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url(unit), data)
    return response, [q["sql"] for q in ctx.captured_queries]


@needs_pg
def test_post_is_one_statement_after_the_first(client, unit, period, settings, monkeypatch):
    settings.SKM_SUBMIT_RATE_LIMIT = "30/h"
    # The throttle clears expired windows on 1 request in 100 (an extra DELETE): not this one.
    monkeypatch.setattr("surveys.throttle.random.random", lambda: 1.0)
    first, _sql = post(client, unit)  # fills the per-process round cache
    assert first.status_code == 302
    response, sql = post(client, unit)
    assert response.status_code == 302
    # In a test the statement sits in a savepoint (the test's transaction);
    # on the request path it runs in autocommit: one round trip.
    writes = [s for s in sql if "SAVEPOINT" not in s]
    assert len(writes) == 1, writes
    statement = writes[0]
    if statement.startswith("SELECT * FROM skm_web_insert_"):  # not prepared (a transaction pooler): its function
        name = statement.removeprefix("SELECT * FROM ").split("(")[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_functiondef(to_regproc(%s))", [name])
            statement = cursor.fetchone()[0]
    assert "surveys_submissionthrottle" in statement and "surveys_itemtally" in statement
    assert Response.objects.count() == 2
    assert SubmissionThrottle.objects.get().count == 2
    tally = skm_tally(unit, period)
    # answers(): U_i = 1 + i % 4 for both rows: U1 = 2, U4 = 1.
    assert (tally.respondents, tally.U1_sum, tally.U1_n2, tally.U4_n1, tally.U3_n4) == (2, 4, 2, 2, 2)


@needs_pg
def test_round_closed_meanwhile_is_refused_by_the_statement(client, unit, period):
    assert post(client, unit)[0].status_code == 302  # the round is now cached as open
    page = client.get(url(unit))
    token = token_from(page.content.decode())
    SurveyRound.objects.filter(unit=unit, period=period).update(status=SurveyRound.Status.CLOSED)  # no signal
    response = client.post(url(unit), answers(token=token))
    assert response.status_code == 410
    assert "tidak sedang dibuka" in response.content.decode()
    assert Response.objects.count() == 1
    assert skm_tally(unit, period).respondents == 1


@needs_pg
def test_over_the_limit_stores_nothing_but_counts(client, unit, period, settings):
    settings.SKM_SUBMIT_RATE_LIMIT = "1/h"
    assert post(client, unit)[0].status_code == 302
    response, _sql = post(client, unit)
    assert response.status_code == 429
    assert Response.objects.count() == 1
    assert SubmissionThrottle.objects.get().count == 2
    assert skm_tally(unit, period).respondents == 1


@needs_pg
def test_replayed_token_is_stored_once(client, unit, period):
    page = client.get(url(unit))
    data = answers(token=token_from(page.content.decode()))
    assert client.post(url(unit), data).status_code == 302
    assert client.post(url(unit), data).status_code == 409
    assert Response.objects.count() == 1
    assert skm_tally(unit, period).respondents == 1


def test_validating_form_shares_the_prepared_fields_and_a_rendered_one_does_not(unit, period):
    """A POST is only validated: its form shares the class's field objects instead
    of Django's per-instance deep copy. A form that is rendered gets its own."""
    from surveys.forms import questionnaire_form_class
    from surveys.selectors import questionnaire_context

    context = questionnaire_context(code=unit.code)
    kwargs = {"unsur": list(context.unsur), "services": None, "allow_minors": False}
    form_class = questionnaire_form_class(**kwargs)
    validating = form_class.validating(answers(token="x"), **kwargs)
    rendered = form_class(answers(token="x"), **kwargs)
    assert validating.fields["u1"] is form_class.base_fields["u1"]
    assert rendered.fields["u1"] is not form_class.base_fields["u1"]
    assert rendered.fields["usia"].widget is not form_class.base_fields["usia"].widget
    # Sharing is confined to the one construction.
    assert form_class(**kwargs).fields["u1"] is not form_class.base_fields["u1"]
    assert validating.is_valid(), validating.errors
    assert validating.answers() == {f"U{i}": 1 + i % 4 for i in range(1, 10)}


def _prepared_web_inserts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%surveys_itemtally%"])
        return [row[0] for row in cursor.fetchall()]


@needs_pg
@prepared_here
def test_web_insert_is_prepared_once_per_connection(client, unit, period, settings, monkeypatch):
    """Django binds parameters on the client, so the server would parse and plan the
    ~7 000-character statement on every POST; it is prepared once per connection and
    each POST binds its values (bench/README.md: the POST's database time)."""
    settings.SKM_SUBMIT_RATE_LIMIT = "30/h"
    monkeypatch.setattr("surveys.throttle.random.random", lambda: 1.0)
    for _ in range(3):
        response, sql = post(client, unit)
        assert response.status_code == 302
    writes = [s for s in sql if "SAVEPOINT" not in s]
    assert len(writes) == 1 and "$1" in writes[0]  # server-side parameters, still one statement
    prepared = _prepared_web_inserts()
    assert len(prepared) == 1, prepared  # one statement prepared, reused by every POST
    assert "surveys_submissionthrottle" in prepared[0] and "surveys_response" in prepared[0]
    assert Response.objects.count() == 3
    assert SubmissionThrottle.objects.get().count == 3
    assert skm_tally(unit, period).respondents == 3


@needs_pg
@prepared_here
def test_replay_refused_and_statement_kept_after_a_duplicate(client, unit, period):
    """A duplicate token fails inside the prepared statement: DuplicateSubmission as
    before, and the next respondent's POST still stores through it."""
    page = client.get(url(unit))
    data = answers(token=token_from(page.content.decode()))
    assert client.post(url(unit), data).status_code == 302
    assert client.post(url(unit), data).status_code == 409
    assert post(client, unit)[0].status_code == 302
    assert Response.objects.count() == 2
    assert skm_tally(unit, period).respondents == 2
    assert len(_prepared_web_inserts()) == 1


@needs_pg
def test_web_insert_unprepared_when_turned_off(client, unit, period, settings):
    settings.SKM_PREPARED_WEB_INSERT = False
    settings.SKM_WEB_INSERT_FUNCTION = False
    before = _prepared_web_inserts()  # what earlier tests prepared on this connection
    for _ in range(2):
        response, sql = post(client, unit)
        assert response.status_code == 302
    statement = [s for s in sql if "SAVEPOINT" not in s][0]
    assert "$1" not in statement and statement.startswith("WITH t AS")
    assert _prepared_web_inserts() == before
    assert Response.objects.count() == 2


@needs_pg
def test_unprepared_web_insert_runs_as_a_function(client, unit, period, settings, monkeypatch):
    """Behind a transaction pooler (no prepared statement), the web insert is one
    call of a PL/pgSQL function, which keeps its plan per server connection: the
    row, the throttle count, both tallies and the league table's stale mark."""
    from surveys.models import ProfileTally, StandingStale

    settings.SKM_PREPARED_WEB_INSERT = False
    # The throttle clears expired windows on 1 request in 100 (an extra DELETE): not here.
    monkeypatch.setattr("surveys.throttle.random.random", lambda: 1.0)
    for n in range(1, 3):
        response, sql = post(client, unit)
        assert response.status_code == 302
        statements = [s for s in sql if "SAVEPOINT" not in s]
        assert statements[-1].startswith("SELECT * FROM skm_web_insert_")
        if n == 2:  # the first POST of a process looked the function up (and installed it); now one call
            assert len(statements) == 1
        assert Response.objects.count() == n
        assert skm_tally(unit, period).respondents == n
    assert ProfileTally.objects.filter(unit=unit, period=period, dimension="gender").exists()
    assert StandingStale.objects.filter(unit=unit, period=period).exists()


@needs_pg
def test_a_function_that_cannot_be_installed_falls_back_to_the_statement(client, unit, period, settings, monkeypatch):
    from surveys import services

    settings.SKM_PREPARED_WEB_INSERT = False
    monkeypatch.setattr(services, "_WEB_SQL", {})
    monkeypatch.setattr(services, "_WEB_FUNCTIONS", {})
    monkeypatch.setattr(
        services,
        "_web_function_sql",
        lambda sql, types: ("skm_web_insert_broken", "CREATE FUNCTION skm_web_insert_broken("),
    )
    response, sql = post(client, unit)
    assert response.status_code == 302
    assert [s for s in sql if s.startswith("WITH t AS")]
    assert Response.objects.count() == 1


@needs_pg
def test_post_under_the_redis_cache_sends_no_redis_command_and_saves_no_session(
    client, unit, period, settings, monkeypatch
):
    """On the production settings (Redis cache) the POST's cost is its one statement:
    no cache round trip, no session read or saved, no cookie set (bench/README.md).
    The protections are the database's (token, throttle) and the request's (CSRF)."""
    import os

    import redis
    from django.contrib.sessions.models import Session
    from django.core.cache import caches

    from skm.settings.base import cache_from_url

    settings.CACHES = {"default": cache_from_url(os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15"))}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # would show in Redis too
    commands: list[str] = []
    send = redis.connection.Connection.send_command

    def counting(self, *args, **kwargs):
        commands.append(str(args[0]))
        return send(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_command", counting)
    monkeypatch.setattr("surveys.throttle.random.random", lambda: 1.0)
    assert post(client, unit)[0].status_code == 302  # fills the per-process round cache
    assert caches["default"].get("skm-probe") is None and commands  # the counter sees Redis
    commands.clear()
    response, sql = post(client, unit)
    assert response.status_code == 302 and "terima-kasih" in response["Location"]
    assert commands == []
    writes = [s for s in sql if "SAVEPOINT" not in s]
    assert len(writes) == 1 and "django_session" not in writes[0]  # the web insert only
    assert not response.cookies  # no session, messages or rotated CSRF cookie
    assert Session.objects.count() == 0
    assert "no-store" in response["Cache-Control"]
