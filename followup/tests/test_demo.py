"""skm_demo: the demo installation, idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q

from surveys.access import user_unit_access
from surveys.demo import REFERENCE_CSV
from surveys.models import Period, Response, Service, SurveyRound, Unit, UnitRole
from surveys.tests.tallies import answer_sums

pytestmark = pytest.mark.django_db


def demo(monkeypatch, password="sandi-demo-uji"):
    monkeypatch.setenv("SKM_DEMO_PASSWORD", password)
    out = io.StringIO()
    call_command("skm_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        Unit.objects.count(),
        Period.objects.count(),
        Service.objects.count(),
        Response.objects.count(),
        get_user_model().objects.count(),
        UnitRole.objects.count(),
    )


def test_demo_is_complete_and_idempotent(monkeypatch, reference_csv, reference_expected):
    assert REFERENCE_CSV.read_bytes() == reference_csv.read_bytes()  # shipped copy of the reference file
    out = demo(monkeypatch)
    first = snapshot()
    assert "staf" in out and "supervisor" in out and "sandi-demo-uji" in out and "/isi/pulutan/" in out
    demo(monkeypatch)
    assert snapshot() == first

    pulutan = Unit.objects.get(code="pulutan")
    assert [u.code for u in pulutan.ancestors()] == ["sidorejo", "salatiga"]
    assert Unit.objects.filter(parent__code="sidorejo").count() >= 3
    assert pulutan.signatory_name and pulutan.signatory_nip
    assert Service.objects.filter(unit__code="sidorejo-lor").count() == 3

    s2 = Period.objects.get(code="2024-S2")
    rows = Response.objects.filter(unit=pulutan, period=s2)
    assert rows.count() == 50
    totals, _answered = answer_sums(rows)
    assert list(totals.values()) == [u["total"] for u in reference_expected["unsur"]]
    assert Response.objects.filter(unit=pulutan, period__code="2024-S1").count() > 0
    # Past semesters are closed and published; the current one is open for every unit.
    assert set(
        SurveyRound.objects.filter(period__code__in=["2024-S1", "2024-S2"]).values_list("status", flat=True)
    ) == {"published"}
    assert SurveyRound.objects.get(unit=pulutan, period=s2).publications.get().respondents == 50
    current = SurveyRound.objects.filter(status="open").values_list("unit__code", flat=True)
    assert set(current) == set(Unit.objects.values_list("code", flat=True))


def test_demo_users_and_roles(monkeypatch):
    demo(monkeypatch, password="kata-sandi-lain")
    User = get_user_model()
    admin, staf, supervisor = (User.objects.get(username=n) for n in ("admin", "staf", "supervisor"))
    assert admin.is_superuser and admin.check_password("kata-sandi-lain")
    pulutan = Unit.objects.get(code="pulutan")
    sidorejo_lor = Unit.objects.get(code="sidorejo-lor")
    assert user_unit_access(user=staf).writable == frozenset({pulutan.id})
    access = user_unit_access(user=supervisor)
    assert access.writable == frozenset() and pulutan.id in access.readable and sidorejo_lor.id in access.readable


def test_demo_loads_followup_plan(monkeypatch):
    from followup.models import Plan

    demo(monkeypatch)
    assert Plan.objects.filter(unit__code="pulutan", period__code="2024-S2").count() == 1


def test_demo_sample_adequacy_shows_a_short_service(monkeypatch):
    from surveys.results import sample_adequacy_list
    from surveys.selectors import response_tallies

    demo(monkeypatch)
    unit = Unit.objects.get(code="sidorejo-lor")
    s2 = Period.objects.get(code="2024-S2")
    counts = {
        sid: n for sid, (n, _t) in response_tallies(filters=Q(unit=unit, period=s2), group_by="service_id").items()
    }
    rows = {
        row.service: (row.population, row.required, row.respondents, row.adequate)
        for row in sample_adequacy_list(unit=unit, period=s2, respondents_by_service=counts)
    }
    # Krejcie & Morgan by hand: 38 -> 34.66 -> 35; 14 -> 13.54 -> 14; 8 -> 7.86 -> 8.
    assert rows == {
        "Administrasi Kependudukan": (38, 35, 34, False),
        "Pengantar Nikah": (8, 8, 8, True),
        "Surat Keterangan Usaha": (14, 14, 14, True),
    }
