"""Template contexts of the two reports, and the generated Indonesian sentences.

Every number and every label in a sentence is derived from the same value
(e.g. a kinerja label is always ``band_for`` of the value printed beside it),
so the hand errors of the seeds (label contradicting value, "80 %" of 3/4)
cannot happen.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import mark_safe

from followup.selectors import plan_get_for_report
from skm.rules.formatting import band_table, format_number, format_weight
from skm.rules.ikm import WEIGHT_DESCRIPTIONS, IkmResult, WeightMode
from surveys import charts
from surveys.models import Period, Unit
from surveys.results import MEAN_OF_SERVICES_LABEL, service_breakdown_list, service_ikm_mean, unit_results_get
from surveys.selectors import ikm_for

from . import selectors
from .pdf import media_asset

logger = logging.getLogger(__name__)

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]


def terbilang(n: int) -> str:
    """Indonesian number words: 50 -> 'lima puluh', 278 -> 'dua ratus tujuh puluh delapan'."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} ratus" + (f" {terbilang(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {terbilang(n - 1000)}" if n > 1000 else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return f"{terbilang(thousands)} ribu" + (f" {terbilang(rest)}" if rest else "")
    millions, rest = divmod(n, 1_000_000)
    return f"{terbilang(millions)} juta" + (f" {terbilang(rest)}" if rest else "")


def ordinal_all(n: int) -> str:
    """'ketiga unsur tersebut' style collective: 1 -> 'unsur tersebut', 3 -> 'ketiga unsur tersebut'."""
    if n == 1:
        return "unsur tersebut"
    return f"ke{terbilang(n)} unsur tersebut"


def join_id(parts: list[str]) -> str:
    """Indonesian enumeration: 'a', 'a dan b', 'a, b, dan c'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return f"{parts[0]} dan {parts[1]}"
    return ", ".join(parts[:-1]) + f", dan {parts[-1]}"


def num(value, places: int = 2) -> str:
    return format_number(value, places)


def _svg_chart(func, *args):
    """Server-rendered matplotlib SVG (surveys.charts), embedded inline.

    A chart must never cost the unit its report: on an error the tables still
    carry every number, so log and leave the figure out."""
    try:
        svg = func(*args)
    except Exception:
        logger.exception("chart %s failed", getattr(func, "__name__", func))
        return None
    return mark_safe(svg) if svg else None


# -------------------------------------------------------------- shared parts


def unit_heading(unit: Unit) -> list[str]:
    """The unit and its parents, top-down (cover lines)."""
    return [u.name for u in reversed(unit.ancestors())] + [unit.name]


def summary_rows(result: IkmResult) -> list[dict]:
    rows = []
    for i, u in enumerate(result.unsur, start=1):
        rows.append(
            {
                "no": i,
                "code": u.code,
                "name": u.name,
                "total": u.total,
                "answered": u.answered,
                "nrr": u.nrr,
                "converted": u.converted,
                "weighted": u.weighted(result.weight_mode),
                "grade": u.grade,
                "label": u.label,
            }
        )
    return rows


def signature(unit: Unit, when: dt.date) -> dict:
    return {
        "city": unit.city or "",
        "date": when,
        "title": unit.signatory_title,
        "name": unit.signatory_name,
        "rank": unit.signatory_rank,
        "nip": unit.signatory_nip,
    }


# ------------------------------------------------------- follow-up report


@dataclass
class PhotoRef:
    number: int
    url: str
    caption: str


def _plan_for(unit: Unit, period: Period):
    return plan_get_for_report(unit=unit, period=period)


def followup_context(*, unit: Unit, period: Period, weight_mode: WeightMode, today: dt.date | None = None) -> dict:
    """Context of the Laporan Hasil Tindak Lanjut (BAB I-IV)."""
    mode = weight_mode
    result = ikm_for(unit=unit, period=period, weight_mode=mode)
    services = service_breakdown_list(unit=unit, period=period, weight_mode=mode) if result.respondents else []
    plan = _plan_for(unit, period)
    today = today or timezone.localdate()

    priorities, items, photos, unrealised, strategies = [], [], [], [], []
    years: list[int] = []
    realised = total = 0
    photo_no = 0
    if plan is not None:
        for row in plan.unsur_rows.all():
            row_items = []
            for item in row.items.all():
                real = getattr(item, "realisation", None)
                done = bool(real and real.is_done)
                total += 1
                realised += int(done)
                item_photos = []
                for photo in item.photos.all():
                    photo_no += 1
                    ref = PhotoRef(photo_no, media_asset(photo.image.name), photo.caption)
                    item_photos.append(ref)
                    photos.append(ref)
                sched = list(item.schedule_rows)
                years.extend(y for y, _t in sched)
                entry = {"item": item, "row": row, "real": real, "done": done, "photos": item_photos, "schedule": sched}
                row_items.append(entry)
                items.append(entry)
                if not done:
                    unrealised.append(entry)
                    if real and (real.strategy or real.target_time):
                        strategies.append(entry)
            priorities.append({"row": row, "items": row_items, "unsur": result.by_code(row.code) if row.code else None})
    pct = plan.progress.percent if plan is not None else Decimal("0.00")
    unsur_priority = [p for p in priorities if p["row"].code]
    n_priority = len(unsur_priority)
    return {
        "unit": unit,
        "period": period,
        "heading": unit_heading(unit),
        "result": result,
        "services": services if len(services) > 1 else [],
        "services_mean": service_ikm_mean(services),
        "mean_label": MEAN_OF_SERVICES_LABEL,
        "summary": summary_rows(result),
        "bands": band_table(),
        "weight_description": WEIGHT_DESCRIPTIONS[mode],
        "plan": plan,
        "priorities": priorities,
        "items": items,
        "photos": photos,
        "unrealised": unrealised,
        "strategies": strategies,
        "realised": realised,
        "total": total,
        "percent": pct,
        "band_label": plan.progress.band_label if plan is not None else "",
        "all_realised": plan is not None and plan.progress.all_realised,
        "months_to_realisation": plan.progress.months_to_realisation if plan is not None else None,
        "speed_label": plan.progress.speed_label if plan is not None else "",
        "n_priority": n_priority,
        "n_priority_words": terbilang(n_priority),
        "priority_collective": ordinal_all(n_priority) if n_priority else "",
        "has_saran_priorities": any(not p["row"].code for p in priorities),
        "realised_names": join_id([p["row"].title for p in priorities if any(e["done"] for e in p["items"])]),
        "years": sorted(set(years)),
        "report_year": today.year,
        "signature": signature(unit, today),
        "background_text": unit.background_text.strip(),
    }


# ------------------------------------------------------------ survey report


def survey_context(
    *, unit: Unit, period: Period, weight_mode: WeightMode, today: dt.date | None = None, progress=None
) -> dict:
    """Context of the Laporan SKM (BAB I-V and lampiran)."""
    step = progress or (lambda pct, msg: None)
    mode = weight_mode
    today = today or timezone.localdate()
    res = unit_results_get(unit=unit, period=period, weight_mode=mode)
    result = res.result
    distributions = res.distributions
    # Trend up to this period (later periods do not belong in this report).
    trend = []
    for point in res.trend:
        trend.append(point)
        if point.period_code == period.code:
            break
    trend = trend[-8:]
    step(30, "Menyusun analisis")

    ranked = [result.by_code(c) for c in result.priority if result.by_code(c).nrr is not None]
    lowest = ranked[:3]
    highest = list(reversed(ranked[-3:])) if len(ranked) >= 3 else list(reversed(ranked))
    analysis = []
    for u, dist in zip(result.unsur, distributions, strict=False):
        parts = [
            f"{num(r.percent, 0) if r.percent == r.percent.to_integral() else num(r.percent)}% menyatakan {r.label.lower()}"
            for r in dist.rows
            if r.count
        ]
        analysis.append({"unsur": u, "parts": join_id(parts), "dist": dist})
    previous = selectors.previous_period(period=period)
    prev_trend = [p for p in trend if p.period_code != period.code and p.ikm is not None]
    current = next((p for p in trend if p.period_code == period.code), None)
    trend_sentence = ""
    if prev_trend and current and current.ikm is not None:
        before = prev_trend[-1]
        if current.ikm > before.ikm:
            change = "mengalami peningkatan"
        elif current.ikm < before.ikm:
            change = "mengalami penurunan"
        else:
            change = "tidak berubah"
        trend_sentence = (
            f"IKM {unit.name} pada {period.label} ({num(current.ikm)}) {change} dibandingkan dengan "
            f"{before.period_label} ({num(before.ikm)})."
        )
    prev_followup = None
    if previous is not None and _plan_for(unit, previous) is not None:
        prev_followup = followup_context(unit=unit, period=previous, weight_mode=mode, today=today)
    grade_groups = {}
    for u in result.unsur:
        if u.label:
            grade_groups.setdefault(u.label, []).append(u.name)
    step(40, "Menyiapkan grafik")
    return {
        "unit": unit,
        "period": period,
        "heading": unit_heading(unit),
        "result": result,
        "res": res,
        "services": res.services if len(res.services) > 1 else [],
        "mean_label": MEAN_OF_SERVICES_LABEL,
        "summary": summary_rows(result),
        "bands": band_table(),
        "weight_mode": mode,
        "weight_description": WEIGHT_DESCRIPTIONS[mode],
        "weight_decimal": format_weight(mode),
        "profile": res.profile,
        "distributions": distributions,
        "analysis": analysis,
        "lowest": lowest,
        "highest": highest,
        "grade_groups": [(label, join_id(names), len(names)) for label, names in grade_groups.items()],
        "trend": trend,
        "trend_sentence": trend_sentence,
        "samples": res.adequacy,
        "respondents_words": terbilang(result.respondents),
        "wording": res.wording,
        "respondent_rows": selectors.respondent_rows(unit=unit, period=period),
        "suggestions": selectors.suggestions(unit=unit, period=period),
        "plan": _plan_for(unit, period),
        "prev_followup": prev_followup,
        "previous_period": previous,
        "chart_unsur": _svg_chart(charts.chart_unsur_bars, result) if result.respondents else None,
        "chart_trend": _svg_chart(charts.chart_trend, trend) if len(trend) > 1 else None,
        "signature": signature(unit, today),
        "report_year": today.year,
    }
