"""The report templates name only fields that exist on the typed view-models
(issue 8): rendered with ``string_if_invalid`` set, no marker appears."""

import copy
from decimal import Decimal

import pytest

from reports.context import FollowupReport, SurveyReport, followup_context, survey_context
from reports.models import ExportJob
from reports.services import report_html
from skm.rules.ikm import WeightMode

pytestmark = pytest.mark.django_db
MARKER = "@@TIDAK-ADA:%s@@"


@pytest.fixture
def strict_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MARKER
    settings.TEMPLATES = templates


@pytest.mark.parametrize("kind", [ExportJob.Kind.PDF_FOLLOWUP, ExportJob.Kind.PDF_SURVEY])
def test_templates_name_existing_fields(strict_templates, unit, period, report_plan, kind):
    html = report_html(kind=kind, unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert "@@TIDAK-ADA" not in html, html[html.find("@@TIDAK-ADA") - 300 : html.find("@@TIDAK-ADA") + 80]


def test_view_models_are_typed(unit, period, report_plan):
    followup = followup_context(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    survey = survey_context(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    assert isinstance(followup, FollowupReport) and isinstance(survey, SurveyReport)
    # Reference survey, plan of conftest.build_plan: 3 of 4 items realised -> 75,00 %.
    assert (followup.realised, followup.total, followup.percent) == (3, 4, Decimal("75.00"))
    assert [a.unsur.code for a in survey.analysis] == [f"U{i}" for i in range(1, 10)]
    assert survey.analysis[0].parts == "66,00% menyatakan sesuai dan 34,00% menyatakan sangat sesuai"
