"""A partner's questionnaire submitted through the API: validated by the web
form's own class and stored by the web form's own one-statement insert
(``surveys.services.response_create_web``), with the token's user recorded."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from surveys.access import user_unit_access
from surveys.forms import questionnaire_form_class
from surveys.models import Response, SurveyRound
from surveys.selectors import questionnaire_context, round_for_collection, round_for_collection_cached
from surveys.services import DuplicateSubmission, RateLimited, response_create_web
from surveys.services_rounds import RoundNotOpen, round_ensure_collecting
from surveys.throttle import throttle_hit

from .models import ApiToken

# Idempotency keys live in their own UUID namespace, per token: two partners
# using the same key never collide, and a key is never a web form's token.
IDEMPOTENCY_NAMESPACE = uuid.UUID("5f1d2c3e-8a47-4b0e-9c61-2d7e9a0b4f13")
IDEMPOTENCY_KEY_MAX = 200


class IdempotencyConflict(Exception):
    """The key was used before with other answers."""


@dataclass(frozen=True)
class Submission:
    response: Response
    created: bool


def idempotency_token(*, token: ApiToken, key: str) -> uuid.UUID:
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{token.pk}:{key}")


def api_throttle_key(*, token: ApiToken) -> str:
    """The submission throttle's key for a token (the web form's is the hashed address)."""
    return hashlib.sha256(f"api-token|{token.pk}".encode()).hexdigest()


def _form_data(payload: dict, *, extra: tuple = ()) -> tuple[dict, list[str]]:
    """The web form's data for a payload, and the extra-question codes it names
    that the unit does not ask."""
    data = {
        "token": "api",  # the form requires its one-time token; the idempotency key replaces it
        "jenis_kelamin": payload.get("jenis_kelamin") or "",
        "usia": "" if payload.get("usia") is None else str(payload["usia"]),
        "pendidikan": payload.get("pendidikan") or "",
        "pekerjaan": payload.get("pekerjaan") or "",
        "disabilitas": payload.get("disabilitas") or "",
        "saran": payload.get("saran") or "",
    }
    if payload.get("persetujuan_wali"):
        data["persetujuan_wali"] = "on"
    if payload.get("layanan") is not None:
        data["layanan"] = str(payload["layanan"])
    for code, value in (payload.get("jawaban") or {}).items():
        data[str(code).lower()] = "" if value is None else str(value)
    fields = {definition.code.upper(): definition.field for definition in extra}
    unknown = []
    for code, value in (payload.get("tambahan") or {}).items():
        field = fields.get(str(code).strip().upper())
        if field is None:
            unknown.append(str(code))
            continue
        if value is None:
            data[field] = ""
        elif isinstance(value, list):
            data[field] = [str(v) for v in value]
        else:
            data[field] = str(value)
    return data, sorted(unknown)


def api_response_submit(*, token: ApiToken, unit_code: str, payload: dict, idempotency_key: str) -> Submission:
    """Store one questionnaire for the unit's open round (or ``payload["periode"]``'s).

    The same checks as the public form (open round, today inside the period,
    the nine answers, the age rule, jenis layanan) and the same throttle
    (SKM_SUBMIT_RATE_LIMIT, counted per token). The same key sent again
    returns the stored answer instead of a second row. Raises Http404,
    PermissionDenied (a unit the token's user may not write), ValidationError,
    RoundNotOpen, IdempotencyConflict or surveys.services.RateLimited."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError(
            _("Header Idempotency-Key wajib diisi (paling banyak %(n)d karakter).") % {"n": IDEMPOTENCY_KEY_MAX},
            code="idempotency_key",
        )
    context = questionnaire_context(code=unit_code)
    unit = context.unit
    if not user_unit_access(user=token.user).can_write(unit.pk):
        raise PermissionDenied(_("Pengguna token ini tidak dapat mengirim jawaban untuk unit ini."))
    client_token = idempotency_token(token=token, key=key)
    # The key is looked up only when the answer is not stored as new (the
    # insert refuses a reused client_token; a closed round, an invalid body or
    # the throttle look first): a key already stored always gets its replay,
    # and the happy path costs no look-up.
    try:
        period, rnd = _open_round(unit=unit, code=payload.get("periode"))
    except RoundNotOpen:
        stored = _stored(client_token)
        if stored is not None:
            return _replayed(stored, payload)
        raise
    services = list(context.services)
    choices = services if len(services) > 1 else None
    # The web form of this round: the nine unsur, the other instruments it asks
    # (SPKP, SPAK) and the unit's extra questions, each validated as on the web.
    kwargs = {
        "unsur": list(context.unsur),
        "services": choices,
        "allow_minors": unit.allow_minors,
        "extra": tuple(context.extra),
        "instruments": rnd.other_instruments,
    }
    data, unknown = _form_data(payload, extra=kwargs["extra"])
    form = questionnaire_form_class(**kwargs).validating(data, **kwargs)
    if not form.is_valid() or unknown:
        return _refused(form=form, unknown=unknown, token=token, client_token=client_token, payload=payload)
    service = services[0] if len(services) == 1 else None
    if choices:
        service = next(s for s in services if s.pk == form.cleaned_data["layanan"])
    try:
        response = response_create_web(
            unit=unit,
            period=period,
            round=rnd,
            service=service,
            client_token=client_token,
            throttle_key=api_throttle_key(token=token),
            created_by=token.user,
            **form.response_values(),
        )
    except DuplicateSubmission:
        # The key was used before (or raced in from another request): that one stored it.
        return _replayed(Response.all_objects.get(client_token=client_token), payload)
    except (RateLimited, RoundNotOpen):
        stored = _stored(client_token)
        if stored is not None:
            return _replayed(stored, payload)
        raise
    return Submission(response, created=True)


def _refused(*, form, unknown: list[str], token: ApiToken, client_token: uuid.UUID, payload: dict) -> Submission:
    """An invalid body: the stored answer when its key was used before, else
    ValidationError (after counting the attempt, as the web form does)."""
    stored = _stored(client_token)
    if stored is not None:
        return _replayed(stored, payload)
    if not throttle_hit(key=api_throttle_key(token=token)):
        raise RateLimited
    errors = {name: [str(e) for e in messages] for name, messages in form.errors.items() if name != "token"}
    if unknown:
        errors["tambahan"] = [_("Pertanyaan tambahan tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}]
    raise ValidationError(errors)


def _stored(client_token: uuid.UUID) -> Response | None:
    return Response.all_objects.filter(client_token=client_token).first()


def _open_round(*, unit, code: str | None):
    """The unit's round taking answers now, as the web questionnaire reads it:
    an open round from the per-process cache (``round_for_collection_cached``;
    the insert re-checks in its own statement that it is still open), anything
    else read again. Raises RoundNotOpen."""
    period, rnd = round_for_collection_cached(unit=unit, code=code)
    if rnd is None or rnd.status != SurveyRound.Status.OPEN:
        period, rnd = round_for_collection(unit=unit, code=code)
    if period is None or rnd is None:
        raise RoundNotOpen(_("Saat ini belum ada periode survei yang dibuka untuk unit ini."), code="not_open")
    round_ensure_collecting(round=rnd, unit=unit, period=period, public=True)
    return period, rnd


def _replayed(stored: Response, payload: dict) -> Submission:
    sent = {str(code).upper(): value for code, value in (payload.get("jawaban") or {}).items()}
    answers: dict[str, int | None] = {}
    for instrument in stored.scores:  # the SKM's and every other instrument's items
        answers.update(stored.answers(instrument))
    if any(answers.get(code) != value for code, value in sent.items()):
        raise IdempotencyConflict
    return Submission(stored, created=False)
