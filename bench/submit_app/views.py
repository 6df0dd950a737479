from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from surveys.models import Period, Response, Unit

_cache: dict = {}


@csrf_exempt
def bare_insert(request):
    """The baseline: insert one response row, nothing else."""
    if "ids" not in _cache:
        _cache["ids"] = (Unit.objects.get(code="bench").pk, Period.objects.get(code=request.GET["p"]).pk)
    unit_id, period_id = _cache["ids"]
    Response.objects.create(
        unit_id=unit_id,
        period_id=period_id,
        channel=Response.Channel.WEB,
        submitted_at=timezone.now(),
        scores={"SKM": [3] * 9},
        suggestion="bare",
    )
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def bare_get(request):
    """The GET baseline: a page of the questionnaire's size (?size=BYTES) through
    the same middleware, without a database read, a template or the cache."""
    size = int(request.GET.get("size", "20000"))
    if _cache.get("page_size") != size:
        _cache["page"] = b"<!doctype html><title>bare</title>" + b"x" * size
        _cache["page_size"] = size
    return HttpResponse(_cache["page"], content_type="text/html; charset=utf-8")
