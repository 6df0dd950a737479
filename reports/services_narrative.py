"""Writes of the unit's own report text (one section of one round) and the
publication that freezes it.

Who may write is decided by the caller (``surveys.access``). Every change is
attributable: ``ReportSection`` keeps a simple-history row with the user.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.models import Plan
from skm.rules.formatting import format_number
from skm.rules.ikm import WeightMode
from skm.rules.rounds import RoundStatus
from surveys.models import SurveyRound
from surveys.results import unit_results_get, weight_mode_resolve
from surveys.services_rounds import round_publish

from .models import ReportSection
from .narrative import effective_texts, narrative_facts_build
from .sections import MAX_SECTION_CHARS, section_spec
from .services_published import published_reports_request

logger = logging.getLogger(__name__)


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _locked_round(rnd: SurveyRound) -> SurveyRound:
    locked = SurveyRound.objects.select_for_update().select_related("unit", "period").get(pk=rnd.pk)
    if locked.state is RoundStatus.PUBLISHED:
        raise ValidationError(
            _(
                "Putaran %(period)s sudah dipublikasikan: publikasi mengunci teks laporan versi tersebut. "
                "Buka kembali putaran untuk koreksi agar teks dapat diubah."
            )
            % {"period": locked.period.label},
            code="published",
        )
    return locked


def _check_key(key: str) -> str:
    if section_spec(key) is None:
        raise ValidationError(_("Bagian laporan '%(key)s' tidak dikenal.") % {"key": str(key)[:40]}, code="unknown")
    return key


def _store(*, rnd: SurveyRound, key: str, text: str, user, reason: str) -> ReportSection:
    section = ReportSection.objects.select_for_update().filter(round=rnd, key=key).first()
    if section is None:
        section = ReportSection(round=rnd, key=key)
    section.text = text
    section.updated_by = _actor(user)
    section.__dict__["_history_user"] = _actor(user)
    section.__dict__["_change_reason"] = reason
    section.save()
    return section


@transaction.atomic
def section_save(*, round: SurveyRound, key: str, text: str, user, generated: str | None = None) -> ReportSection:
    """Save the unit's text of one section. A text equal to the generated one
    (``generated``, when the caller knows it) is stored as "baku, diperiksa"
    so that it keeps following the data."""
    _check_key(key)
    rnd = _locked_round(round)
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_SECTION_CHARS:
        raise ValidationError(
            _("Teks bagian ini %(n)s karakter; batasnya %(max)s karakter.")
            % {"n": format_number(len(text), 0), "max": format_number(MAX_SECTION_CHARS, 0)},
            code="too_long",
        )
    if not text:
        raise ValidationError(
            _('Teks bagian ini kosong. Tulis teksnya, atau pakai tombol "Kembalikan ke teks baku".'),
            code="empty",
        )
    if generated is not None and text == generated.replace("\r\n", "\n").strip():
        text = ""
    section = _store(rnd=rnd, key=key, text=text, user=user, reason="diubah" if text else "teks baku diperiksa")
    logger.info("report section saved round=%s key=%s user=%s", rnd.pk, key, getattr(user, "pk", None))
    return section


@transaction.atomic
def section_reset(*, round: SurveyRound, key: str, user) -> ReportSection:
    """Kembalikan ke teks baku: the section prints the generated text again (marked reviewed)."""
    _check_key(key)
    rnd = _locked_round(round)
    return _store(rnd=rnd, key=key, text="", user=user, reason="dikembalikan ke teks baku")


def round_narrative_texts(*, round: SurveyRound, weight_mode: WeightMode | None = None) -> dict[str, str]:
    """The effective text of every section of the round, as it prints now."""
    unit, period = round.unit, round.period
    res = unit_results_get(unit=unit, period=period, weight_mode=weight_mode or weight_mode_resolve())
    plan = Plan.objects.filter(unit=unit, period=period).first()
    facts = narrative_facts_build(
        unit=unit, period=period, result=res.result, distributions=res.distributions, plan=plan, rnd=round
    )
    return effective_texts(facts=facts)


@transaction.atomic
def round_publish_with_report(*, round: SurveyRound, user, note: str = "", weight_mode: WeightMode | None = None):
    """Publish the round with the report text frozen in the snapshot
    (``snapshot["narrative"]``: section key -> plain text), and ask for the
    fixed Laporan SKM PDF of the new version (built once it commits)."""
    mode = weight_mode or weight_mode_resolve()
    texts = round_narrative_texts(round=round, weight_mode=mode)
    publication = round_publish(round=round, user=user, weight_mode=mode, note=note, narrative=texts)
    published_reports_request(publication=publication)
    return publication
