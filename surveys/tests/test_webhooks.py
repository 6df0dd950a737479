"""Webhooks (issue 22 item 2), against a real receiver on 127.0.0.1 that checks
each call as README documents: the signature verifies, a replayed call is
refused, a 500 is retried 1, 10 and 100 minutes later, an endpoint failing for
a day is paused and its owner e-mailed, "responses received" is batched at most
once a minute per unit, payloads carry no personal data, and the page's
permissions."""

import datetime as dt
import http.client
import json
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from skm.rules.ikm import WeightMode
from surveys.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from surveys.services import response_create_paper
from surveys.services_rounds import round_close, round_publish
from surveys.services_webhooks import (
    webhook_delivery_resend,
    webhook_delivery_send,
    webhook_endpoint_create,
    webhook_endpoint_resume,
    webhook_event_record,
    webhook_responses_batch,
    webhook_secret_rotate,
    webhook_url_check,
)
from surveys.tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2024, 10, 1, 9, 0, tzinfo=JKT)
ALL4 = {f"U{i}": 4 for i in range(1, 10)}
PERSONAL = "Pak Budi 0812-3456-7890"


@pytest.fixture(autouse=True)
def _allow_local(settings):
    settings.SKM_WEBHOOK_ALLOW_HTTP = True
    settings.SKM_WEBHOOK_ALLOW_PRIVATE = True
    settings.SKM_SITE_URL = "https://skm.example.go.id"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def _endpoint(unit, user, receiver, events=tuple(WebhookEvent.values), **kwargs) -> WebhookEndpoint:
    endpoint, secret = webhook_endpoint_create(unit=unit, user=user, url=receiver.url, events=events, **kwargs)
    receiver.secret = secret
    return endpoint


def _event(unit, key="k1", now=None) -> WebhookDelivery:
    (delivery,) = webhook_event_record(unit=unit, event=WebhookEvent.ROUND_CLOSED, key=key, data={"x": 1}, now=now)
    return delivery


def _state(delivery) -> tuple:
    delivery.refresh_from_db()
    return delivery.status, delivery.attempts


# --- signature and replay ---------------------------------------------------------------


def test_a_round_closed_is_sent_on_commit_and_its_signature_verifies(
    unit, period, survey_round, alice, receiver, django_capture_on_commit_callbacks
):
    _endpoint(unit, alice, receiver)
    response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round=survey_round, user=alice)
    assert receiver.verdicts() == ["ok"]
    call = receiver.calls[0]
    payload = json.loads(call["body"])
    assert payload["event"] == "round.closed" and payload["unit"]["code"] == "pulutan"
    assert payload["data"]["period"]["code"] == "2024-S2"
    assert call["headers"]["X-SKM-Signature"].startswith("sha256=")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, str(delivery.uuid)) == ("succeeded", 1, payload["id"])
    (attempt,) = WebhookAttempt.objects.all()
    assert attempt.status_code == 200 and '"ok"' in attempt.response_body


def test_a_call_signed_with_another_secret_is_refused_by_the_receiver(unit, alice, receiver):
    endpoint = _endpoint(unit, alice, receiver)
    webhook_secret_rotate(endpoint=endpoint)  # the receiver still holds the old secret
    delivery = _event(unit)
    webhook_delivery_send(delivery_id=delivery.pk)
    assert receiver.verdicts() == ["bad-signature"]
    assert _state(delivery) == ("pending", 1) and delivery.last_status_code == 401


def _replay(receiver, call, **header_changes):
    parts = urlsplit(receiver.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    headers = {k: v for k, v in call["headers"].items() if k.lower().startswith("x-skm") or k == "Content-Type"}
    headers.update(header_changes)
    conn.request("POST", parts.path, body=call["body"], headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


def test_a_replayed_call_is_refused_by_the_receivers_check(unit, alice, receiver):
    _endpoint(unit, alice, receiver)
    with time_machine.travel(T0, tick=False):
        webhook_delivery_send(delivery_id=_event(unit).pk)
        first = receiver.calls[0]
        # The same bytes again: the delivery id was seen.
        assert _replay(receiver, first) == 409
    # Six minutes later with a fresh delivery id: the timestamp is too old...
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        assert _replay(receiver, first, **{"X-SKM-Delivery": "another"}) == 400
        # ...and a new timestamp does not match the signature.
        now = str(int(T0.timestamp()) + 360)
        assert _replay(receiver, first, **{"X-SKM-Delivery": "another", "X-SKM-Timestamp": now}) == 401
    assert receiver.verdicts() == ["ok", "replay", "stale", "bad-signature"]


# --- retries, giving up, pausing ------------------------------------------------------


def test_a_500_is_retried_after_1_10_and_100_minutes_then_given_up(unit, alice, receiver):
    _endpoint(unit, alice, receiver)
    receiver.statuses = [500] * 10
    with time_machine.travel(T0, tick=False) as clock:
        delivery = _event(unit)
        webhook_delivery_send(delivery_id=delivery.pk)
        assert _state(delivery) == ("pending", 1)
        assert delivery.next_attempt_at == T0 + dt.timedelta(minutes=1)
        clock.shift(dt.timedelta(seconds=59))
        assert webhook_delivery_send(delivery_id=delivery.pk).state == "skipped"  # not due yet
        clock.shift(dt.timedelta(seconds=1))
        outcome = webhook_delivery_send(delivery_id=delivery.pk)
        assert (outcome.state, outcome.retry_in) == ("retry", dt.timedelta(minutes=10))
        clock.shift(dt.timedelta(minutes=10))
        assert webhook_delivery_send(delivery_id=delivery.pk).retry_in == dt.timedelta(minutes=100)
        clock.shift(dt.timedelta(minutes=100))
        assert webhook_delivery_send(delivery_id=delivery.pk).state == "failed"
    assert _state(delivery) == ("failed", 4)
    assert list(delivery.attempt_log.values_list("number", "status_code")) == [(1, 500), (2, 500), (3, 500), (4, 500)]
    assert len(receiver.calls) == 4


def test_a_retry_that_succeeds_ends_the_failures(unit, alice, receiver):
    endpoint = _endpoint(unit, alice, receiver)
    receiver.statuses = [500]
    with time_machine.travel(T0, tick=False) as clock:
        delivery = _event(unit)
        webhook_delivery_send(delivery_id=delivery.pk)
        endpoint.refresh_from_db()
        assert endpoint.failing_since == T0
        clock.shift(dt.timedelta(minutes=1))
        assert webhook_delivery_send(delivery_id=delivery.pk).state == "sent"
    endpoint.refresh_from_db()
    assert _state(delivery) == ("succeeded", 2) and endpoint.failing_since is None


def test_the_retry_task_is_driven_by_the_task_function(unit, alice, receiver):
    """The Celery task sends and schedules the next try (eager here: the
    rescheduled run finds the delivery not yet due and leaves it)."""
    from surveys.tasks import send_webhook_delivery, webhooks_tick

    _endpoint(unit, alice, receiver)
    receiver.statuses = [500]
    with time_machine.travel(T0, tick=False) as clock:
        delivery = _event(unit)
        assert send_webhook_delivery.apply(args=(delivery.pk,)).get() == "retry"
        assert _state(delivery) == ("pending", 1)
        clock.shift(dt.timedelta(minutes=1))
        assert webhooks_tick.apply().get() == {"responses_events": 0, "due": 1}
    assert _state(delivery) == ("succeeded", 2)


def test_an_endpoint_failing_for_a_day_is_paused_and_its_owner_mailed(unit, alice, receiver):
    alice.email = "alice@example.go.id"
    alice.save()
    endpoint = _endpoint(unit, alice, receiver)
    receiver.statuses = [500] * 20
    with time_machine.travel(T0, tick=False) as clock:
        webhook_delivery_send(delivery_id=_event(unit, "a").pk)
        clock.shift(dt.timedelta(hours=23, minutes=59))
        webhook_delivery_send(delivery_id=_event(unit, "b").pk)
        endpoint.refresh_from_db()
        assert endpoint.paused_at is None and mail.outbox == []
        clock.shift(dt.timedelta(minutes=1))
        waiting = _event(unit, "c")
        webhook_delivery_send(delivery_id=waiting.pk)
        endpoint.refresh_from_db()
        assert endpoint.paused_at == T0 + dt.timedelta(hours=24)
        (message,) = mail.outbox
        assert message.to == ["alice@example.go.id"] and "dijeda" in message.subject
        assert "/unit/pulutan/webhook/" in message.body
        # Paused: nothing more is sent, not even a due retry.
        clock.shift(dt.timedelta(minutes=5))
        calls = len(receiver.calls)
        assert webhook_delivery_send(delivery_id=waiting.pk).state == "skipped"
        assert len(receiver.calls) == calls
        assert webhook_event_record(unit=unit, event=WebhookEvent.ROUND_CLOSED, key="d", data={}) == []
        # Resumed: the waiting delivery goes at once.
        receiver.statuses = []
        webhook_endpoint_resume(endpoint=endpoint)
        assert webhook_delivery_send(delivery_id=waiting.pk).state == "sent"
    endpoint.refresh_from_db()
    assert endpoint.paused_at is None and endpoint.failing_since is None


def test_a_resend_is_a_new_delivery_the_receiver_accepts(unit, alice, receiver):
    _endpoint(unit, alice, receiver)
    delivery = _event(unit)
    webhook_delivery_send(delivery_id=delivery.pk)
    copy = webhook_delivery_resend(delivery=delivery, user=alice)
    webhook_delivery_send(delivery_id=copy.pk)
    assert receiver.verdicts() == ["ok", "ok"]
    second = json.loads(receiver.calls[1]["body"])
    assert second["id"] == str(copy.uuid) != str(delivery.uuid) and second["resent_from"] == str(delivery.uuid)


# --- events and their payloads ------------------------------------------------------


def test_an_event_is_recorded_once_per_endpoint_and_key(unit, alice, receiver):
    _endpoint(unit, alice, receiver)
    assert len(webhook_event_record(unit=unit, event=WebhookEvent.ROUND_CLOSED, key="same", data={})) == 1
    assert webhook_event_record(unit=unit, event=WebhookEvent.ROUND_CLOSED, key="same", data={}) == []


def test_only_subscribed_endpoints_and_admin_subtree_endpoints_get_an_event(
    unit, district, alice, admin_user, receiver
):
    only_published = _endpoint(unit, alice, receiver, events=[WebhookEvent.ROUND_PUBLISHED])
    subtree = _endpoint(district, admin_user, receiver, include_subtree=True)
    not_subtree = _endpoint(district, admin_user, receiver)
    got = webhook_event_record(unit=unit, event=WebhookEvent.ROUND_CLOSED, key="k", data={})
    assert [d.endpoint_id for d in got] == [subtree.pk]
    assert only_published.pk != not_subtree.pk


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    else:
        yield str(value)


def _no_personal_data(payload, *users):
    text = json.dumps(payload)
    assert PERSONAL not in text
    for user in users:
        assert user.username not in text and user.first_name not in text
    keys = set(_strings(dict.fromkeys(_keys(payload))))
    assert not keys & {"suggestion", "saran", "age", "gender", "email", "published_by", "closed_by", "responsible"}


def _keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)


def test_round_published_carries_the_snapshot_and_no_personal_data(unit, period, survey_round, alice, bob, receiver):
    _endpoint(unit, alice, receiver, events=[WebhookEvent.ROUND_PUBLISHED])
    for _i in range(3):
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL4, suggestion=PERSONAL, age=41)
    round_close(round=survey_round, user=alice)
    publication = round_publish(round=survey_round, user=bob, weight_mode=WeightMode.EXACT)
    delivery = WebhookDelivery.objects.get()
    data = delivery.payload["data"]
    assert delivery.event == "round.published" and data["version"] == publication.version == 1
    assert data["snapshot"]["respondents"] == 3 and data["ikm"] == str(publication.ikm)
    _no_personal_data(delivery.payload, alice, bob)


def test_responses_are_batched_at_most_one_call_a_minute_per_unit(unit, period, alice, receiver):
    _endpoint(unit, alice, receiver, events=[WebhookEvent.RESPONSES_RECEIVED])
    with time_machine.travel(T0, tick=False) as clock:
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
        assert webhook_responses_batch() == 0  # the first run starts from now
        for _i in range(2):
            response_create_paper(unit=unit, period=period, user=alice, answers=ALL4, suggestion=PERSONAL, age=30)
        assert webhook_responses_batch() == 1
        response_create_paper(unit=unit, period=period, user=alice, answers=ALL4)
        clock.shift(dt.timedelta(seconds=59))
        assert webhook_responses_batch() == 0  # less than a minute since the last call
        clock.shift(dt.timedelta(seconds=1))
        assert webhook_responses_batch() == 1
        assert webhook_responses_batch() == 0  # nothing new
    first, second = WebhookDelivery.objects.order_by("id")
    assert first.payload["data"]["count"] == 2 and second.payload["data"]["count"] == 1
    (row,) = second.payload["data"]["periods"]
    assert (row["period"], row["count"], row["respondents"], row["round_status"]) == ("2024-S2", 1, 4, "open")
    assert row["unsur"][0] == {"code": "U1", "answered": 4, "mean": 4.0}
    _no_personal_data(first.payload, alice)


# --- endpoint addresses -------------------------------------------------------------


def test_only_https_and_public_addresses_are_accepted(settings):
    settings.SKM_WEBHOOK_ALLOW_HTTP = False
    settings.SKM_WEBHOOK_ALLOW_PRIVATE = False
    webhook_url_check("https://8.8.8.8/hook")
    for url in (
        "http://8.8.8.8/hook",
        "ftp://8.8.8.8/",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
        "https://user:pw@8.8.8.8/",
    ):
        with pytest.raises(ValidationError):
            webhook_url_check(url)


# --- the page --------------------------------------------------------------------------


def _url(name, *args):
    return reverse(f"surveys:{name}", args=["pulutan", *args])


def test_page_permissions(client, unit, alice, bob, charlie, admin_user, receiver):
    endpoint = _endpoint(unit, alice, receiver)
    delivery = _event(unit)
    assert client.get(_url("webhooks")).status_code == 302  # anonymous: to the login page
    for user, status in ((alice, 200), (bob, 200), (charlie, 403), (admin_user, 200)):
        client.force_login(user)
        assert client.get(_url("webhooks")).status_code == status, user
    # Writes: the unit's staff and admins only.
    for user in (bob, charlie):
        client.force_login(user)
        assert client.post(_url("webhooks"), {"url": receiver.url, "events": ["round.closed"]}).status_code == 403
        assert client.post(_url("webhook_rotate", endpoint.pk)).status_code == 403
        assert client.post(_url("webhook_pause", endpoint.pk)).status_code == 403
        assert client.post(_url("webhook_delete", endpoint.pk)).status_code == 403
        assert client.post(_url("webhook_resend", delivery.pk)).status_code == 403
    assert WebhookEndpoint.objects.count() == 1 and WebhookDelivery.objects.count() == 1
    client.force_login(bob)
    page = client.get(_url("webhooks")).content.decode()
    assert receiver.url in page and "Kirim ulang" not in page and 'id="webhook-create"' not in page


def test_staff_create_rotate_pause_resend_and_delete(client, unit, alice, receiver):
    client.force_login(alice)
    page = client.post(_url("webhooks"), {"url": receiver.url, "events": ["round.closed", "responses.received"]})
    endpoint = WebhookEndpoint.objects.get()
    assert page.status_code == 200 and endpoint.secret in page.content.decode()
    assert (endpoint.events, endpoint.created_by, endpoint.include_subtree) == (
        ["round.closed", "responses.received"],
        alice,
        False,
    )
    # The secret is shown once: not on the next visit.
    assert endpoint.secret not in client.get(_url("webhooks")).content.decode()
    old = endpoint.secret
    page = client.post(_url("webhook_rotate", endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in page.content.decode()
    client.post(_url("webhook_pause", endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.is_paused
    client.post(_url("webhook_pause", endpoint.pk), {"resume": "1"})
    endpoint.refresh_from_db()
    assert not endpoint.is_paused
    receiver.secret = endpoint.secret
    delivery = _event(unit)
    webhook_delivery_send(delivery_id=delivery.pk)
    page = client.get(_url("webhooks")).content.decode()
    assert "Kirim ulang" in page and str(delivery.uuid) in page and "HTTP 200" in page
    assert client.post(_url("webhook_resend", delivery.pk)).status_code == 302
    assert WebhookDelivery.objects.filter(resent_from=delivery).count() == 1
    assert client.post(_url("webhook_delete", endpoint.pk)).status_code == 302
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_an_http_or_private_address_is_refused_on_the_page(client, unit, alice, settings):
    settings.SKM_WEBHOOK_ALLOW_HTTP = False
    settings.SKM_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(alice)
    for url in ("http://8.8.8.8/hook", "https://127.0.0.1/hook"):
        assert client.post(_url("webhooks"), {"url": url, "events": ["round.closed"]}).status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_only_an_admin_registers_for_a_subtree(client, district, alice, bob, admin_user, unit):
    from surveys.models import UnitRole
    from surveys.tests.factories import UnitRoleFactory

    UnitRoleFactory(user=alice, unit=district, role=UnitRole.Role.STAFF)
    data = {"url": "https://8.8.8.8/hook", "events": ["round.closed"], "include_subtree": "on"}
    client.force_login(alice)
    client.post(reverse("surveys:webhooks", args=["sidorejo"]), data)
    client.force_login(admin_user)
    client.post(reverse("surveys:webhooks", args=["sidorejo"]), data)
    assert list(WebhookEndpoint.objects.order_by("id").values_list("include_subtree", flat=True)) == [False, True]
