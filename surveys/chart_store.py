"""Charts cached by content and rendered off the page's request path.

A page never draws a chart. It asks ``chart_url(kind, payload)`` for the URL of
an SVG whose *payload* is exactly the numbers and labels drawn (a grade count,
an IKM per unsur, ...). The URL carries the payload, signed with SECRET_KEY
(``django.core.signing``: nobody can make the server draw other numbers) and
compressed; the page shows it with ``<img src alt>``, so its HTML returns
without matplotlib.

``chart_svg(token)`` (the ``surveys:chart`` view) looks the SVG up in the
Django cache under the SHA-256 of the payload, and renders it only on a miss:
identical numbers never render twice, whatever page, unit or process asked
for them, and a new answer elsewhere in the tree does not invalidate a chart
whose numbers did not change. No state is needed between the page and the
image request (any worker can answer it), and the URL never changes for the
same numbers, so the browser may keep it (``immutable``).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

from django.core import signing
from django.core.cache import cache
from django.urls import reverse

SALT = "skm.chart"
CACHE_SECONDS = 30 * 24 * 3600


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _unsur(payload):
    from . import charts

    result = SimpleNamespace(
        weight_description=payload["w"],
        ikm=_dec(payload["ikm"]),
        unsur=[SimpleNamespace(code=c, converted=_dec(v), grade=g) for c, v, g in payload["u"]],
    )
    return charts.chart_unsur_bars(result, title=payload.get("t"))


def _trend(payload):
    from . import charts

    return charts.chart_trend([(label, _dec(v)) for label, v in payload["p"]], title=payload.get("t"))


def _profile(payload):
    from . import charts

    rows = [SimpleNamespace(label=label, count=n, percent=_dec(p)) for label, n, p in payload["r"]]
    return charts.chart_profile(SimpleNamespace(title=payload["title"], rows=rows))


def _histogram(payload):
    from . import charts

    return charts.chart_grade_histogram(dict(payload["c"]), title=payload.get("t"))


def _extremes(payload):
    from . import charts

    def rows(items):
        return [(name, _dec(ikm), grade) for name, ikm, grade in items]

    return charts.chart_extremes(rows(payload["top"]), rows(payload["bottom"]), title=payload.get("t"))


BUILDERS = {"unsur": _unsur, "trend": _trend, "profile": _profile, "histogram": _histogram, "extremes": _extremes}


# The version of the drawings: raise it when a chart is drawn differently, so that
# its URL and cache key change and neither browsers (the URL is immutable) nor the
# shared cache keep showing the old picture of the same numbers.
DRAWING = 2


def _canonical(kind: str, payload) -> str:
    return json.dumps([kind, payload, DRAWING], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_key(kind: str, payload) -> str:
    """The cache key: a hash of exactly what is drawn."""
    return "chart:" + hashlib.sha256(_canonical(kind, payload).encode()).hexdigest()


def chart_url(kind: str, payload) -> str:
    if kind not in BUILDERS:
        raise ValueError(f"unknown chart kind {kind!r}")
    data = json.loads(_canonical(kind, payload))  # Decimals become strings, once
    token = signing.dumps(data, salt=SALT, compress=True)
    return reverse("surveys:chart", args=[token])


def chart_svg(token: str) -> str | None:
    """The SVG of a signed chart token, from the cache or rendered once; None if
    the token was not made by this server."""
    try:
        # [kind, payload, drawing]; a URL made before DRAWING existed has no drawing.
        kind, payload, *_drawing = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    builder = BUILDERS.get(kind)
    if builder is None:
        return None
    key = content_key(kind, payload)
    svg = cache.get(key)
    if svg is None:
        svg = builder(payload)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


# --- payloads of the results page's charts ------------------------------------------


def unsur_payload(result) -> dict:
    return {
        "w": result.weight_description,
        "ikm": result.ikm,
        "u": [[u.code, u.converted, u.grade] for u in result.unsur],
    }


def trend_payload(points) -> dict:
    return {"p": [[p.period_code, p.ikm] for p in points]}


def profile_payload(table) -> dict:
    return {"title": table.title, "r": [[r.label, r.count, r.percent] for r in table.rows]}


def histogram_payload(counts: dict) -> dict:
    return {"c": [[grade, int(n)] for grade, n in counts.items()]}


def extremes_payload(top, bottom) -> dict:
    def rows(items):
        return [[r.unit.name, r.ikm, r.grade] for r in items]

    return {"top": rows(top), "bottom": rows(bottom)}
