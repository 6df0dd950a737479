"""The REST API, version 1 (django-ninja), mounted at /api/v1/.

Public (no token): the units and every published version of a unit's rounds,
the same rows as the open data (``/publik/<unit>/hasil.json``), never more.
With a token (``Authorization: Bearer``, see skm.api.auth): a unit's rounds and
live results (the web's access rules, ``surveys.access``), submitting a
questionnaire, and opening and closing a round.

Errors are ``{"galat": <message>, "kode": <code>}``; the message is in Bahasa
Indonesia, or English with ``Accept-Language: en`` (skm.api.middleware)."""

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status, Swagger
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate

from followup.selectors import plan_get_for_report
from followup.views_public import open_data_rows
from reports.selectors import export_job_list_for_user
from reports.services_narrative import section_save
from skm.db_replica import replica_reads
from skm.rules.ikm import round_half_up
from skm.rules.instruments_data import SKM
from surveys.access import unit_get_for_user, unit_get_writable
from surveys.models import SurveyRound, Unit
from surveys.results import weight_mode_resolve
from surveys.results_instruments import round_instrument_results
from surveys.selectors import ikm_for, period_get, round_get, unit_get_public, unit_list_public
from surveys.selectors_responses import ResponseFilters, response_list_for_round, round_get_for_user
from surveys.selectors_rounds import instrument_open_data, publication_cache_token, round_list_for_unit
from surveys.services import RateLimited
from surveys.services_rounds import RoundNotOpen, RoundStepRefused, round_close, round_open

from .auth import TokenAuth
from .errors import ApiError
from .models import Scope
from .services_responses import IdempotencyConflict, api_response_submit

# The IKM and unsur of every published version are the built-in SKM's (Permenpan
# RB 14/2017); the other instruments a round asks are listed beside them.
INSTRUMENT = SKM.code
PUBLIC_MAX_AGE = 300

api = NinjaAPI(
    title="SKM API",
    version="1",
    description='API Survei Kepuasan Masyarakat (Permenpan RB 14/2017). Galat: {"galat", "kode"}.',
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Swagger(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    response = api.create_response(request, {"galat": message, "kode": code, **extra}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    response = _error(request, exc.status, exc.code, exc.message)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "token_missing", _("Token API diperlukan (header Authorization: Bearer)."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Tidak ditemukan."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("Anda tidak memiliki akses ke unit ini."))


@api.exception_handler(ValidationError)
def _invalid_request(request, exc: ValidationError):
    return _error(request, 422, "invalid", _("Permintaan tidak valid."), rincian=exc.errors)


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc: DjangoValidationError):
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "invalid", " ".join(exc.messages), rincian=details)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _error(request, 400, "bad_request", _("Isi permintaan tidak dapat dibaca: kirim JSON yang sah."))
    return _error(request, exc.status_code, "error", str(exc))


class ErrorOut(Schema):
    galat: str = Field(description="Pesan galat (Bahasa Indonesia; Accept-Language: en untuk bahasa Inggris).")
    kode: str = Field(description="Kode galat yang stabil, mis. token_invalid, scope_missing, not_found.")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


# ---------------------------------------------------------------- public


class UnitOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="Kode unit induk.")

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitFilter(Schema):
    parent: str | None = Field(None, description="Hanya anak langsung dari unit dengan kode ini.")


# The two public endpoints read the replica like the public pages (skm.db_replica).
@api.get("/units/", response=list[UnitOut], tags=["publik"], summary="Daftar unit (publik)")
@decorate_view(replica_reads)
@paginate(PageNumberPagination, page_size=50)
def units(request, filters: Query[UnitFilter]):
    qs = unit_list_public().select_related("parent").order_by("path")
    if filters.parent:
        qs = qs.filter(parent=unit_get_public(code=filters.parent))
    return qs.only("code", "name", "path", "parent__code")


class UnsurOut(Schema):
    code: str
    nrr: str | None
    converted: str | None


class ItemOut(Schema):
    code: str
    nrr: str | None


class InstrumentFiguresOut(Schema):
    code: str = Field(description="Kode instrumen: SPKP, SPAK atau salinan unit (mis. SPAK-12).")
    index_name: str = Field(description="Nama indeks, mis. IPKP atau IPAK.")
    respondents: int
    index: str | None = Field(description="Indeks 0-100, dua desimal (null bila ada butir tanpa jawaban).")
    grade: str
    items: list[ItemOut]


class PublicationOut(Schema):
    instrument: str = Field(description="Kode instrumen IKM dan unsur di baris ini (SKM).")
    unit_code: str
    unit: str
    period: str
    version: int
    published_at: str
    report_date: str
    weight_mode: str
    respondents: int
    required_sample: int | None
    ikm: str | None
    grade: str
    unsur: list[UnsurOut]
    instruments: list[InstrumentFiguresOut] = Field(
        description="Instrumen lain yang ditanyakan periode ini, dengan angka yang sama dengan data terbuka."
    )


class PublicationsOut(Schema):
    unit: str
    results: list[PublicationOut]


class PublicationFilter(Schema):
    period: str | None = Field(None, description="Kode periode, mis. 2024-S2.")
    instrument: str | None = Field(
        None, description="Kode instrumen: SKM (semua versi) atau instrumen lain (versi yang menanyakannya)."
    )


@api.get(
    "/units/{code}/publications/",
    response={200: PublicationsOut, 304: None, 404: ErrorOut},
    tags=["publik"],
    summary="Setiap versi hasil yang dipublikasikan (publik)",
)
@decorate_view(replica_reads)
def publications(request, code: str, filters: Query[PublicationFilter]):
    """The open-data rows of the unit (the same cache and selector as
    ``/publik/<unit>/hasil.json``), each with its instrument; an ETag per
    published state, so an unchanged answer is a 304."""
    unit = unit_get_public(code=code)
    state = publication_cache_token(unit_ids=[unit.pk])
    etag = '"' + hashlib.sha256(f"{state}|{filters.period}|{filters.instrument}".encode()).hexdigest()[:32] + '"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        rows = open_data_rows(unit, False)
        if filters.period:
            rows = [r for r in rows if r["period"] == filters.period.strip().upper()]
        code = (filters.instrument or "").strip().upper()
        if code and code != INSTRUMENT:
            rows = [r for r in rows if any(i["code"] == code for i in r["instruments"])]
        response = api.create_response(
            request, {"unit": unit.code, "results": [{"instrument": INSTRUMENT, **r} for r in rows]}, status=200
        )
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# ---------------------------------------------------------------- with a token


class PublishedVersionOut(Schema):
    version: int
    published_at: dt.datetime


class RoundOut(Schema):
    period: str
    status: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    respondents: int
    publications: list[PublishedVersionOut]


class RoundFilter(Schema):
    period: str | None = Field(None, description="Kode periode.")


def _round_out(rnd: SurveyRound, respondents: int) -> dict:
    return {
        "period": rnd.period.code,
        "status": rnd.status,
        "opened_at": rnd.opened_at,
        "closed_at": rnd.closed_at,
        "respondents": respondents,
        "publications": [{"version": p.version, "published_at": p.published_at} for p in rnd.publications.all()],
    }


@api.get(
    "/units/{code}/rounds/",
    response={200: list[RoundOut], **ERRORS},
    auth=TokenAuth(Scope.READ_UNIT),
    tags=["unit"],
    summary="Periode survei unit (token: read-unit)",
)
@paginate(PageNumberPagination, page_size=50)
def rounds(request, code: str, filters: Query[RoundFilter]):
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    qs = round_list_for_unit(unit=unit)
    if filters.period:
        qs = qs.filter(period__code=filters.period.strip().upper())
    return [_round_out(r, r.responses) for r in qs]


class ResultUnsurOut(Schema):
    code: str
    name: str
    nrr: str | None
    converted: str | None


class ResultOut(Schema):
    instrument: str
    unit: str
    period: str
    weight_mode: str
    respondents: int
    ikm: str | None
    grade: str | None
    unsur: list[ResultUnsurOut]
    instruments: list[InstrumentFiguresOut] = Field(
        description="Instrumen lain yang ditanyakan periode ini: indeks sementara, mutu, n dan NRR per butir."
    )


@api.get(
    "/units/{code}/rounds/{period}/results/",
    response={200: ResultOut, **ERRORS},
    auth=TokenAuth(Scope.READ_UNIT),
    tags=["unit"],
    summary="Hasil sementara satu periode (token: read-unit)",
)
def results(request, code: str, period: str):
    """The live figures the unit's results page shows (from the tallies), before publication too."""
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    found = period_get(code=period)
    mode = weight_mode_resolve()
    result = ikm_for(unit=unit, period=found, weight_mode=mode)
    survey_round = round_get(unit=unit, period=found)
    return {
        "instrument": INSTRUMENT,
        "unit": unit.code,
        "period": found.code,
        "weight_mode": str(mode),
        "respondents": result.respondents,
        "ikm": None if result.ikm is None else str(result.ikm),
        "grade": result.grade,
        "unsur": [
            {
                "code": u.code,
                "name": u.name,
                "nrr": None if u.nrr is None else str(round_half_up(u.nrr, 3)),
                "converted": None if u.converted is None else str(u.converted),
            }
            for u in result.unsur
        ],
        "instruments": [instrument_open_data(r.pooled) for r in round_instrument_results(round=survey_round)]
        if survey_round is not None
        else [],
    }


class ResponseRowOut(Schema):
    """One response without personal data: no profile (gender, age, education,
    occupation, disability) and no saran; a scope for those does not exist yet."""

    id: int
    channel: str
    number: int | None
    service: str | None
    service_date: dt.date | None
    submitted_at: dt.datetime
    answers: dict[str, int | None] = Field(description="Jawaban U1..U9 (SKM).")
    instruments: dict[str, dict[str, int | None]] = Field(
        description='Jawaban instrumen lain yang ditanyakan, per kode instrumen dan butir, mis. {"SPAK": {"AK1": 6}}.'
    )

    @staticmethod
    def resolve_service(obj) -> str | None:
        return obj.service.name if obj.service_id else None

    @staticmethod
    def resolve_answers(obj) -> dict[str, int | None]:
        return obj.answers()

    @staticmethod
    def resolve_instruments(obj) -> dict[str, dict[str, int | None]]:
        return {code: obj.answers(code) for code in obj.scores if code != INSTRUMENT}


class ResponseFilter(Schema):
    channel: str | None = Field(None, description="Kanal: web, paper, ...")
    service: int | None = Field(None, description="ID jenis layanan.")
    date_from: dt.date | None = Field(None, description="Tanggal layanan paling awal (YYYY-MM-DD).")
    date_to: dt.date | None = Field(None, description="Tanggal layanan paling akhir (YYYY-MM-DD).")


@api.get(
    "/units/{code}/rounds/{period}/responses/",
    response={200: list[ResponseRowOut], **ERRORS},
    auth=TokenAuth(Scope.READ_UNIT),
    tags=["unit"],
    summary="Jawaban responden satu periode, tanpa data pribadi (token: read-unit)",
)
@paginate(PageNumberPagination, page_size=100)
def responses(request, code: str, period: str, filters: Query[ResponseFilter]):
    """The responses the web's list shows (``surveys.selectors_responses``), newest first."""
    rnd = round_get_for_user(user=request.user, unit_code=code, period_code=period)
    chosen = ResponseFilters(
        channel=filters.channel or "",
        service_id=filters.service,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return response_list_for_round(unit=rnd.unit, period=rnd.period, filters=chosen)


class ResponseIn(Schema):
    periode: str | None = Field(None, description="Kode periode; bawaan: periode yang sedang dibuka.")
    layanan: int | None = Field(None, description="ID jenis layanan (wajib bila unit memiliki lebih dari satu).")
    jawaban: dict[str, int | None] = Field(
        description=(
            "Jawaban per kode butir: U1..U9 (1-4) dan, bila periode menanyakannya, butir SPKP/SPAK "
            '(mis. "AK1", 1-6), mis. {"U1": 4, ..., "AK1": 6}.'
        )
    )
    tambahan: dict[str, str | int | float | list[str] | None] = Field(
        default_factory=dict,
        description=(
            'Jawaban pertanyaan tambahan unit per kode (mis. {"T1": "Ya", "T2": ["A", "B"], "T3": 15}); '
            "tanggal sebagai YYYY-MM-DD."
        ),
    )
    jenis_kelamin: str = ""
    usia: int | None = None
    persetujuan_wali: bool = False
    pendidikan: str = ""
    pekerjaan: str = ""
    disabilitas: str = ""
    saran: str = ""


class ResponseOut(Schema):
    id: int
    unit: str
    period: str
    created: bool = Field(
        description="false: kunci Idempotency-Key ini sudah dipakai; jawaban tidak disimpan dua kali."
    )


@api.post(
    "/units/{code}/responses/",
    response={201: ResponseOut, 200: ResponseOut, 409: ErrorOut, 410: ErrorOut, **ERRORS},
    auth=TokenAuth(Scope.WRITE_RESPONSES),
    tags=["unit"],
    summary="Kirim satu kuesioner (token: write-responses, header Idempotency-Key)",
)
def submit_response(request, code: str, payload: ResponseIn):
    try:
        submission = api_response_submit(
            token=request.api_token,
            unit_code=code,
            payload=payload.dict(),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except RoundNotOpen as exc:
        raise ApiError(410, "round_not_open", " ".join(exc.messages)) from exc
    except IdempotencyConflict as exc:
        raise ApiError(
            409, "idempotency_conflict", _("Kunci Idempotency-Key ini sudah dipakai untuk jawaban yang berbeda.")
        ) from exc
    except RateLimited as exc:
        raise ApiError(
            429, "rate_limited", _("Terlalu banyak jawaban dikirim dengan token ini. Coba lagi nanti.")
        ) from exc
    stored = submission.response
    body = {"id": stored.pk, "unit": code, "period": stored.period.code, "created": submission.created}
    return Status(201 if submission.created else 200, body)


def _round_step(request, code: str, period: str, action: str):
    unit: Unit = unit_get_writable(user=request.user, code=code)
    found = period_get(code=period)
    try:
        if action == "open":
            rnd = round_open(unit=unit, period=found, user=request.user)
        else:
            current = SurveyRound.objects.filter(unit=unit, period=found).first()
            if current is None:
                raise Http404
            rnd = round_close(round=current, user=request.user)
    except RoundStepRefused as exc:
        raise ApiError(409, "step_refused", " ".join(exc.messages)) from exc
    rnd = round_list_for_unit(unit=unit).get(pk=rnd.pk)
    return _round_out(rnd, rnd.responses)


@api.post(
    "/units/{code}/rounds/{period}/open/",
    response={200: RoundOut, 409: ErrorOut, **ERRORS},
    auth=TokenAuth(Scope.WRITE_ROUNDS),
    tags=["unit"],
    summary="Buka periode survei unit (token: write-rounds)",
)
def round_open_view(request, code: str, period: str):
    return _round_step(request, code, period, "open")


@api.post(
    "/units/{code}/rounds/{period}/close/",
    response={200: RoundOut, 409: ErrorOut, **ERRORS},
    auth=TokenAuth(Scope.WRITE_ROUNDS),
    tags=["unit"],
    summary="Tutup periode survei unit (token: write-rounds)",
)
def round_close_view(request, code: str, period: str):
    return _round_step(request, code, period, "close")


class SectionIn(Schema):
    teks: str = Field(description="Teks bagian laporan (paragraf dipisah baris kosong).")


class SectionOut(Schema):
    key: str
    text: str
    updated_at: dt.datetime


@api.put(
    "/units/{code}/rounds/{period}/report-sections/{key}/",
    response={200: SectionOut, 409: ErrorOut, **ERRORS},
    auth=TokenAuth(Scope.WRITE_ROUNDS),
    tags=["unit"],
    summary="Isi satu bagian teks laporan (token: write-rounds)",
)
def report_section_put(request, code: str, period: str, key: str, payload: SectionIn):
    """The web's "Teks laporan" save (``reports.services_narrative.section_save``):
    staff and admins, a round not published (else 409), attributed to the token's user."""
    unit: Unit = unit_get_writable(user=request.user, code=code)
    rnd = SurveyRound.objects.filter(unit=unit, period=period_get(code=period)).first()
    if rnd is None:
        raise Http404
    try:
        section = section_save(round=rnd, key=key.strip().lower(), text=payload.teks, user=request.user)
    except DjangoValidationError as exc:
        if exc.code == "published":
            raise ApiError(409, "round_published", " ".join(exc.messages)) from exc
        raise
    return {"key": section.key, "text": section.text, "updated_at": section.updated_at}


class RealisationOut(Schema):
    status: str
    realised_on: dt.date | None
    description: str
    challenges: str
    reason: str
    strategy: str
    target_time: str


class PlanItemOut(Schema):
    number: str
    program: str
    cause: str
    responsible: str
    schedule: list
    due_date: dt.date | None
    realisation: RealisationOut | None
    photos: int


class PlanUnsurOut(Schema):
    code: str | None
    title: str
    order: int
    items: list[PlanItemOut]


class PlanOut(Schema):
    unit: str
    period: str
    status: str
    ikm: str | None
    finalised_at: dt.datetime | None
    realised: int
    total: int
    overdue: int
    priorities: list[PlanUnsurOut]


def _realisation(item) -> dict | None:
    real = getattr(item, "realisation", None)
    if real is None:
        return None
    fields = ("status", "realised_on", "description", "challenges", "reason", "strategy", "target_time")
    return {name: getattr(real, name) for name in fields}


@api.get(
    "/units/{code}/rounds/{period}/rtl/",
    response={200: PlanOut, **ERRORS},
    auth=TokenAuth(Scope.READ_UNIT),
    tags=["unit"],
    summary="Rencana tindak lanjut (RTL) dan realisasinya (token: read-unit)",
)
def rtl(request, code: str, period: str):
    """The unit's RTL for the period as its report reads it (``plan_get_for_report``):
    priorities, programmes, schedule and realisation; photos as a count (their
    files stay behind the web's access-checked view)."""
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    plan = plan_get_for_report(unit=unit, period=period_get(code=period))
    if plan is None:
        raise Http404
    progress = plan.progress
    return {
        "unit": unit.code,
        "period": plan.period.code,
        "status": plan.status,
        "ikm": None if plan.ikm is None else str(plan.ikm),
        "finalised_at": plan.finalised_at,
        "realised": progress.realised,
        "total": progress.total,
        "overdue": progress.overdue,
        "priorities": [
            {
                "code": row.code or None,
                "title": row.title,
                "order": row.order,
                "items": [
                    {
                        "number": f"{row.order}.{item.order}",
                        "program": item.program,
                        "cause": item.cause,
                        "responsible": item.responsible,
                        "schedule": item.schedule,
                        "due_date": item.due_date,
                        "realisation": _realisation(item),
                        "photos": len(item.photos.all()),
                    }
                    for item in row.items.all()
                ],
            }
            for row in plan.unsur_rows.all()
        ],
    }


class ExportJobOut(Schema):
    id: int
    kind: str
    period: str
    status: str
    percent: int
    message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    has_result: bool = Field(description="Berkas hasil tersedia (diunduh lewat web).")

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.code

    @staticmethod
    def resolve_has_result(obj) -> bool:
        return bool(obj.result)


@api.get(
    "/units/{code}/exports/",
    response={200: list[ExportJobOut], **ERRORS},
    auth=TokenAuth(Scope.READ_UNIT),
    tags=["unit"],
    summary="Tugas ekspor unit (token: read-unit)",
)
@paginate(PageNumberPagination, page_size=50)
def export_jobs(request, code: str, filters: Query[RoundFilter]):
    """The unit's export jobs as the web lists them (``reports.selectors``), newest first."""
    unit, _can_write = unit_get_for_user(user=request.user, code=code)
    jobs = export_job_list_for_user(user=request.user, unit=unit).order_by("-created_at", "-id")
    if filters.period:
        jobs = jobs.filter(period__code=filters.period.strip().upper())
    return jobs
