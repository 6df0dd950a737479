"""The public respondent questionnaire, its QR code, links page and poster."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from skm.rules.rounds import CollectionRefusal, collection_refusal

from ..access import unit_get_for_user
from ..forms import PreparedQuestionnaireForm, QuestionnaireForm, questionnaire_form_class, token_issue, token_read
from ..languages import LanguagePack
from ..models import Period, Service, SurveyRound, Unit
from ..selectors import (
    questionnaire_context,
    response_channel_counts,
    round_current_open,
    round_for_collection,
    round_for_collection_cached,
    round_list_open,
    service_get_public,
    service_list,
    unit_get_public,
)
from ..selectors_languages import questionnaire_language_pack, questionnaire_languages_active
from ..services import DuplicateSubmission, RateLimited, response_create_web
from ..services_rounds import RoundNotOpen, round_ensure_collecting, round_refusal_message
from ..throttle import client_key, throttle_hit

THANKS_SECONDS = 6  # kiosk: the thank-you page returns to an empty form after this


def _closed(request, unit, period, *, status: int, title: str, text: str, kiosk: bool = False):
    return render(
        request,
        "surveys/collection/closed.html",
        {"unit": unit, "period": period, "title": title, "text": text, "kiosk": kiosk},
        status=status,
    )


def _rate_limited(request, unit, period, kiosk):
    return _closed(
        request,
        unit,
        period,
        status=429,
        kiosk=kiosk,
        title=_("Terlalu banyak pengiriman"),
        text=_("Terlalu banyak jawaban dikirim dari perangkat atau jaringan ini. Silakan coba lagi nanti."),
    )


LANGUAGE_PARAM = "bahasa"  # ?bahasa=jv: the questionnaire texts in a further language (surveys.languages)


def _form_url(unit, service=None, *, kiosk=False, period_code=None, language_code=None) -> str:
    if service is not None:
        url = reverse("surveys:questionnaire_service", args=[unit.code, service.pk])
    else:
        url = reverse("surveys:questionnaire", args=[unit.code])
    query = {}
    if period_code:
        query["periode"] = period_code
    if kiosk:
        query["kiosk"] = "1"
    if language_code:
        query[LANGUAGE_PARAM] = language_code
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class _Setup:
    unit: Unit
    period: Period | None  # None: a staff preview while no round is open
    round: SurveyRound | None
    kiosk: bool
    fixed_service: Service | None
    period_code: str | None
    services: list[Service]
    choices: list[Service] | None
    default_service: Service | None
    unsur: list
    pages: dict  # the questionnaire context's rendered empty pages (see _empty_form_page)
    extra: tuple = ()  # the unit's active extra questions (surveys.extra.ExtraDef)
    language: LanguagePack | None = None  # the questionnaire language picked (?bahasa=), if a further one

    @property
    def instruments(self) -> tuple:
        """The round's instruments asked after the SKM (SPKP, SPAK)."""
        return self.round.other_instruments if self.round is not None else ()

    @property
    def form_kwargs(self) -> dict:
        return {
            "unsur": self.unsur,
            "services": self.choices,
            "allow_minors": self.unit.allow_minors,
            "extra": self.extra,
            "instruments": self.instruments,
            "language": self.language,
        }

    @property
    def form_class(self) -> type[PreparedQuestionnaireForm]:
        return questionnaire_form_class(
            unsur=self.unsur,
            services=self.choices,
            allow_minors=self.unit.allow_minors,
            extra=self.extra,
            instruments=self.instruments,
            language=self.language,
        )

    @property
    def language_code(self) -> str | None:
        return self.language.code if self.language is not None else None

    @property
    def again_url(self) -> str:
        return _form_url(
            self.unit,
            self.fixed_service,
            kiosk=self.kiosk,
            period_code=self.period_code,
            language_code=self.language_code,
        )

    def language_choices(self) -> list[dict]:
        """The "Bahasa kuesioner" buttons: the interface language's own texts, then each
        active further language; empty while there is none (no buttons shown)."""
        further = questionnaire_languages_active()
        if not further:
            return []
        interface = get_language_info(get_language() or settings.LANGUAGE_CODE)
        options = [("", interface["name_local"], interface["code"]), *((code, name, code) for code, name in further)]
        return [
            {
                "code": code,
                "name": name,
                "lang": lang,
                "current": code == (self.language_code or ""),
                "url": _form_url(
                    self.unit,
                    self.fixed_service,
                    kiosk=self.kiosk,
                    period_code=self.period_code,
                    language_code=code,
                ),
            }
            for code, name, lang in options
        ]


def _setup(request, unit_code: str, service_id: int | None) -> _Setup | HttpResponse:
    """The unit, period and form options of a questionnaire URL, or the page
    explaining why there is no form (unknown or closed period)."""
    context = questionnaire_context(code=unit_code)
    unit = context.unit
    kiosk = request.GET.get("kiosk") == "1"
    fixed_service = None
    if service_id:
        fixed_service = next((s for s in context.services if s.pk == service_id), None)
        if fixed_service is None:
            raise Http404(_("Jenis layanan tidak ditemukan."))
    period_code = request.GET.get("periode")
    # An open round is kept per process for a few seconds: the insert re-checks
    # in its own statement that the round is still open, so a form shown just
    # after a close (by another process) stores nothing. Anything else is read
    # again, so a round opened by another process takes answers at once.
    period, rnd = round_for_collection_cached(unit=unit, code=period_code)
    if rnd is None or rnd.status != SurveyRound.Status.OPEN:
        period, rnd = round_for_collection(unit=unit, code=period_code)
    if period is None and period_code:
        return _closed(
            request,
            unit,
            None,
            status=404,
            kiosk=kiosk,
            title=_("Periode survei tidak ditemukan"),
            text=_("Periode survei '%(code)s' tidak ditemukan. Periksa kembali tautan yang Anda buka.")
            % {"code": period_code[:20]},
        )
    if period is None or rnd is None:
        return _closed(
            request,
            unit,
            period,
            status=404,
            kiosk=kiosk,
            title=_("Survei belum dibuka"),
            text=_("Saat ini belum ada periode survei yang dibuka untuk unit ini. Terima kasih atas kesediaan Anda."),
        )
    try:
        round_ensure_collecting(round=rnd, unit=unit, period=period, public=True)
    except RoundNotOpen as exc:
        return _closed(
            request,
            unit,
            period,
            status=410,
            kiosk=kiosk,
            title=_("Survei tidak sedang dibuka"),
            text=" ".join(exc.messages) + " " + _("Terima kasih atas kesediaan Anda."),
        )
    services = list(context.services)
    choices = services if (fixed_service is None and len(services) > 1) else None
    # The hidden field keeps the language on the POST (the URL's query keeps it too).
    language_code = (request.POST.get(LANGUAGE_PARAM) if request.method == "POST" else None) or request.GET.get(
        LANGUAGE_PARAM
    )
    return _Setup(
        unit=unit,
        period=period,
        round=rnd,
        kiosk=kiosk,
        fixed_service=fixed_service,
        period_code=period_code,
        services=services,
        choices=choices,
        default_service=fixed_service or (services[0] if len(services) == 1 else None),
        unsur=list(context.unsur),
        pages=context.pages,
        extra=context.extra,
        language=questionnaire_language_pack(code=language_code, unit=unit, extra=context.extra)
        if language_code
        else None,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def questionnaire(request, unit_code: str, service_id: int | None = None):
    setup = _setup(request, unit_code, service_id)
    if isinstance(setup, HttpResponse):
        return setup
    unit, period, kiosk = setup.unit, setup.period, setup.kiosk
    token_error = ""

    if request.method == "POST":
        throttle_key = client_key(request)
        form = setup.form_class.validating(request.POST, **setup.form_kwargs)  # never rendered
        if request.POST.get("website"):
            # Honeypot filled: answer as if stored, store nothing.
            return redirect(_thanks_url(unit, kiosk=kiosk, again=setup.again_url))
        if form.is_valid():
            try:
                token = token_read(form.cleaned_data["token"], unit_id=unit.pk)
            except signing.SignatureExpired:
                token = None
                token_error = _(
                    "Formulir ini sudah terlalu lama terbuka. Jawaban Anda masih ada di bawah; "
                    "silakan tekan Kirim sekali lagi."
                )
            except (signing.BadSignature, ValueError):
                token = None
                token_error = _("Formulir tidak sah atau rusak. Silakan periksa jawaban lalu tekan Kirim sekali lagi.")
            if token is not None:
                return _store(request, setup, form, token, throttle_key)
        # Failed attempts count against the limit too.
        if not throttle_hit(key=throttle_key):
            return _rate_limited(request, unit, period, kiosk)
        form = _form_again(request, setup)
        status = 400
    else:
        return _empty_form_page(request, setup)
    return _render_form(request, setup, form, status=status, token_error=token_error)


# Stand-ins for what differs between two respondents' empty forms, put into the
# rendered page once and replaced in each response (letters and digits only, so
# that escaping leaves them as they are).
CSRF_SLOT = "skmCsrfSlotQ7d2e9"
TOKEN_SLOT = "skmTokenSlotV4k8c1"
PAGES_MAX = 64


def _anonymous(request) -> bool:
    """No session and no messages cookie: the page can show nothing of this
    visitor (no user, no pending message), only the unit's questionnaire."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _empty_form_page(request, setup: _Setup) -> HttpResponse:
    """The GET: an empty form with a fresh one-time token and CSRF token.

    For an anonymous respondent the page is rendered once per process and
    questionnaire context (so again when the unit, its services or wording
    change, and at least every QUESTIONNAIRE_TTL seconds), period, language and
    URL options, with stand-ins for the two tokens; each response gets its own
    signed token and CSRF token (``get_token`` also sets or rotates the cookie
    as ``{% csrf_token %}`` does). Everyone else gets a full render."""
    token = token_issue(unit_id=setup.unit.pk)
    if not _anonymous(request):
        form = setup.form_class(initial={"token": token}, **setup.form_kwargs)
        return _render_form(request, setup, form, status=200)
    key = (
        setup.round.pk,
        setup.period.pk,
        setup.period.code,
        getattr(setup.fixed_service, "pk", None),
        setup.kiosk,
        setup.period_code,
        tuple(i.code for i in setup.instruments),
        get_language(),
        setup.language.cache_key if setup.language is not None else None,
        questionnaire_languages_active(),  # the "Bahasa kuesioner" buttons
    )
    page = setup.pages.get(key)
    if page is None:
        form = setup.form_class(initial={"token": TOKEN_SLOT}, **setup.form_kwargs)
        rendered = _render_form(request, setup, form, status=200, csrf_token=CSRF_SLOT)
        page = rendered.content.decode(rendered.charset)
        if page.count(CSRF_SLOT) != 1 or page.count(TOKEN_SLOT) != 1:  # pragma: no cover - template changed
            raise RuntimeError("the questionnaire page must hold each token exactly once")
        if len(setup.pages) >= PAGES_MAX:
            setup.pages.clear()
        setup.pages[key] = page
    response = HttpResponse(page.replace(CSRF_SLOT, get_token(request)).replace(TOKEN_SLOT, token))
    add_never_cache_headers(response)
    return response


def _store(request, setup: _Setup, form: QuestionnaireForm, token, throttle_key: str):
    unit, period, kiosk = setup.unit, setup.period, setup.kiosk
    service = setup.default_service
    if setup.choices:
        service = next(s for s in setup.services if s.pk == form.cleaned_data["layanan"])
    try:
        response_create_web(
            unit=unit,
            period=period,
            round=setup.round,
            service=service,
            client_token=token,
            throttle_key=throttle_key,
            **form.response_values(),
        )
    except RateLimited:
        return _rate_limited(request, unit, period, kiosk)
    except DuplicateSubmission:
        return _closed(
            request,
            unit,
            period,
            status=409,
            kiosk=kiosk,
            title=_("Jawaban sudah diterima"),
            text=_("Jawaban dari formulir ini sudah kami terima sebelumnya dan tidak disimpan dua kali. Terima kasih."),
        )
    except RoundNotOpen as exc:
        return _closed(
            request,
            unit,
            period,
            status=410,
            kiosk=kiosk,
            title=_("Survei tidak sedang dibuka"),
            text=" ".join(exc.messages) + " " + _("Terima kasih atas kesediaan Anda."),
        )
    return redirect(_thanks_url(unit, kiosk=kiosk, again=setup.again_url))


def _form_again(request, setup: _Setup) -> QuestionnaireForm:
    """The respondent's POSTed answers with a fresh token (the old one may be expired)."""
    data = request.POST.copy()
    data["token"] = token_issue(unit_id=setup.unit.pk)
    data.pop("website", None)
    form = setup.form_class(data, **setup.form_kwargs)
    form.is_valid()
    return form


def _render_form(
    request,
    setup: _Setup,
    form,
    *,
    status: int,
    token_error: str = "",
    csrf_error: bool = False,
    extra: dict | None = None,
    csrf_token=None,
):
    extra = dict(extra or {})
    if csrf_token is not None:
        extra["csrf_token"] = csrf_token
    response = render(
        request,
        "surveys/collection/questionnaire.html",
        {
            **extra,
            "unit": setup.unit,
            "period": setup.period,
            "service": setup.default_service,
            "form": form,
            "kiosk": setup.kiosk,
            "token_error": token_error,
            "csrf_error": csrf_error,
            "form_key": _form_key(
                setup.unsur,
                setup.choices,
                setup.unit.allow_minors,
                setup.extra,
                [i.code for i in setup.instruments],
                setup.language.cache_key if setup.language is not None else None,
            ),
            # The staff preview and test mode stay in Indonesian: no buttons leading to the public form.
            "language_choices": [] if extra.get("preview_mode") else setup.language_choices(),
            "questionnaire_language": setup.language,
            "retention_months": settings.SKM_RETENTION_MONTHS,
            "idle_seconds": settings.SKM_KIOSK_IDLE_SECONDS if setup.kiosk else 0,
            "reset_url": setup.again_url,
        },
        status=status,
    )
    # Back, reload and the back-forward cache must never show a previous respondent's answers.
    add_never_cache_headers(response)
    return response


def questionnaire_csrf_failure(request, unit_code: str, service_id: int | None = None):
    """CSRF_FAILURE_VIEW for the questionnaire: the browser sent no (or an old)
    CSRF cookie. Nothing is stored; the answers come back with a fresh token and
    cookie and a plain explanation, so one more press of Kirim saves them."""
    setup = _setup(request, unit_code, service_id)
    if isinstance(setup, HttpResponse):
        add_never_cache_headers(setup)
        return setup
    if request.method == "POST":
        form = _form_again(request, setup)
    else:
        form = setup.form_class(initial={"token": token_issue(unit_id=setup.unit.pk)}, **setup.form_kwargs)
    return _render_form(request, setup, form, status=403, csrf_error=True)


def _form_key(unsur, choices, allow_minors: bool = False, extra=(), instruments=(), language=None) -> str:
    """Changes whenever the wording, the service choices, the age rule, the
    extra questions, the round's instruments or the questionnaire language and
    its texts change (fragment cache key)."""
    text = repr(
        (unsur, [(s.pk, s.name) for s in choices or []], allow_minors, tuple(extra), tuple(instruments), language)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _thanks_url(unit, *, kiosk: bool, again: str) -> str:
    query = {"lagi": again}
    if kiosk:
        query["kiosk"] = "1"
    return f"{reverse('surveys:questionnaire_thanks', args=[unit.code])}?{urlencode(query)}"


@never_cache
def thanks(request, unit_code: str):
    unit = unit_get_public(code=unit_code)
    again = request.GET.get("lagi", "")
    # Only our own questionnaire URLs may be linked back to (no open redirect).
    if not again.startswith(reverse("surveys:questionnaire", args=[unit.code])):
        again = reverse("surveys:questionnaire", args=[unit.code])
    kiosk = request.GET.get("kiosk") == "1"
    return render(
        request,
        "surveys/collection/thanks.html",
        {"unit": unit, "again": again, "kiosk": kiosk, "kiosk_seconds": THANKS_SECONDS},
    )


def public_url(request, unit, service=None, *, kiosk: bool = False) -> str:
    return request.build_absolute_uri(_form_url(unit, service, kiosk=kiosk))


def qr_svg(url: str, *, scale: int = 8) -> str:
    """Inline SVG (no XML declaration) of a QR code for url."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff", border=2, omitsize=True)


def qr_code(request, unit_code: str):
    """The QR of the public link as an SVG file (public: it only encodes the link)."""
    unit = unit_get_public(code=unit_code)
    service = None
    if request.GET.get("layanan", "").isdigit():
        service = service_get_public(unit=unit, service_id=int(request.GET["layanan"]))
    url = public_url(request, unit, service)
    svg = segno.make(url, error="m")
    response = HttpResponse(content_type="image/svg+xml")
    svg.save(response, kind="svg", scale=8, border=2, xmldecl=True, title=_("Kode QR survei %(u)s") % {"u": unit.name})
    if request.GET.get("unduh"):
        response["Content-Disposition"] = (
            f'attachment; filename="qr-{unit.code}{"-" + str(service.pk) if service else ""}.svg"'
        )
    return response


@login_required
def unit_links(request, unit_code: str):
    unit, can_write = unit_get_for_user(user=request.user, code=unit_code)
    today = timezone.localdate()
    open_rounds = [
        {"round": rnd, "refusal": refusal, "message": message}
        for rnd in round_list_open(unit=unit, today=today)
        for refusal, message in [_public_refusal(rnd, today)]
    ]
    current = open_rounds[0] if open_rounds else None
    period = current["round"].period if current else None
    links = [{"service": None, "url": public_url(request, unit), "kiosk_url": public_url(request, unit, kiosk=True)}]
    for service in service_list(unit=unit):
        links.append(
            {
                "service": service,
                "url": public_url(request, unit, service),
                "kiosk_url": public_url(request, unit, service, kiosk=True),
            }
        )
    for link in links:
        link["qr"] = qr_svg(link["url"], scale=4)
    counts = response_channel_counts(unit=unit, period=period) if period else None
    return render(
        request,
        "surveys/collection/links.html",
        {
            "unit": unit,
            "can_write": can_write,
            "period": period,
            "current": current,
            "open_rounds": open_rounds,
            "links": links,
            "counts": counts,
        },
    )


def _public_refusal(rnd: SurveyRound, today) -> tuple[CollectionRefusal | None, str]:
    """Whether the public link takes answers for this open round today, and why not."""
    refusal = collection_refusal(
        status=rnd.state, public=True, today=today, start=rnd.period.start_date, end=rnd.period.end_date
    )
    if refusal is None:
        return None, ""
    return refusal, round_refusal_message(refusal=refusal, unit=rnd.unit, period=rnd.period)


def _current_period(unit: Unit) -> Period | None:
    current = round_current_open(unit=unit)
    return current.period if current else None


@login_required
def unit_poster(request, unit_code: str):
    unit, _can_write = unit_get_for_user(user=request.user, code=unit_code)
    service = None
    if request.GET.get("layanan", "").isdigit():
        service = service_get_public(unit=unit, service_id=int(request.GET["layanan"]))
    url = public_url(request, unit, service)
    return render(
        request,
        "surveys/collection/poster.html",
        {"unit": unit, "service": service, "period": _current_period(unit), "url": url, "qr": qr_svg(url, scale=10)},
    )
