"""Migration surveys 0016: the nine answer columns become ``Response.scores`` and
the wide per-round tallies become ItemTally rows, exactly (issue 20 point 4).

The old schema is built by migrating back to 0015; rows are written there as the
old code wrote them (answers in the columns, a RoundTally kept per jenis
layanan, a published snapshot of the exact integers). After migrating forward,
every published snapshot is recomputed by today's code and must be unchanged,
and every answer, audit record, test answer and tally must carry the same values.
"""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from skm.rules.ikm import WeightMode
from surveys.models import HistoricalResponse, ItemTally, PracticeResponse, Response, RoundPublication, SurveyRound
from surveys.services_rounds import round_snapshot_build
from surveys.services_tallies import tally_rebuild
from surveys.tests.tallies import stored

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("surveys", "0015_extra_questions")
FIELDS = [f"u{i}" for i in range(1, 10)]  # the old columns: only this test and the migration name them


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _migrate_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_snapshot(rows: list[dict], names: dict[int, str]) -> dict:
    """The snapshot's exact integers as the old code stored them, counted here by hand."""

    def tallies(group):
        out = []
        for i, f in enumerate(FIELDS, start=1):
            values = [r[f] for r in group if r[f] is not None]
            out.append(
                {
                    "code": f"U{i}",
                    "total": sum(values),
                    "answered": len(values),
                    "distribution": {str(p): values.count(p) for p in (1, 2, 3, 4)},
                }
            )
        return out

    services = []
    for sid in sorted({r["service_id"] for r in rows if r["service_id"]}, key=lambda s: names[s].lower()):
        group = [r for r in rows if r["service_id"] == sid]
        services.append({"name": names[sid], "respondents": len(group), "unsur": tallies(group)})
    return {"respondents": len(rows), "unsur": tallies(rows), "services": services}


def test_answers_tallies_and_snapshots_survive_the_migration():
    old = _migrate(BEFORE)
    try:
        Unit, Period, Service = (old.get_model("surveys", n) for n in ("Unit", "Period", "Service"))
        OldResponse, OldTally = old.get_model("surveys", "Response"), old.get_model("surveys", "RoundTally")
        OldRound, OldPublication = old.get_model("surveys", "SurveyRound"), old.get_model("surveys", "RoundPublication")
        OldHistory, OldPractice = (
            old.get_model("surveys", "HistoricalResponse"),
            old.get_model("surveys", "PracticeResponse"),
        )
        rng = random.Random(16)
        now = timezone.now()
        unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", path="00000001.")
        period = Period.objects.create(
            code="2024-S2", kind="semester", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31)
        )
        ktp = Service.objects.create(unit=unit, name="KTP")
        kk = Service.objects.create(unit=unit, name="akta")
        names = {ktp.pk: "KTP", kk.pk: "akta"}
        live: list[dict] = []
        for n in range(1, 61):
            values = {f: rng.choice([None, 1, 2, 3, 3, 4, 4]) for f in FIELDS}
            service_id = rng.choice([None, ktp.pk, kk.pk])
            deleted = n % 13 == 0  # soft-deleted rows keep their answers but are out of every figure
            row = OldResponse.objects.create(
                unit=unit,
                period=period,
                service_id=service_id,
                channel="kertas",
                number=n,
                submitted_at=now,
                deleted_at=now if deleted else None,
                **values,
            )
            OldHistory.objects.create(
                id=row.pk,
                unit=unit,
                period=period,
                service_id=service_id,
                channel="kertas",
                number=n,
                submitted_at=now,
                history_date=now,
                history_type="+",
                **values,
            )
            if not deleted:
                live.append({"service_id": service_id, **values})
        OldPractice.objects.create(
            unit=unit, period=period, submitted_at=now, client_token=rng.randbytes(16).hex(), u1=2
        )
        # The old tallies, one wide row per jenis layanan, as the old services kept them.
        for sid in {r["service_id"] for r in live}:
            group = [r for r in live if r["service_id"] == sid]
            counters = {"respondents": len(group)}
            for f in FIELDS:
                values = [r[f] for r in group if r[f] is not None]
                counters[f"{f}_sum"], counters[f"{f}_answered"] = sum(values), len(values)
                counters.update({f"{f}_n{p}": values.count(p) for p in (1, 2, 3, 4)})
            OldTally.objects.create(unit=unit, period=period, service_id=sid, service_key=sid or 0, **counters)
        rnd = OldRound.objects.create(
            unit=unit, period=period, status=SurveyRound.Status.PUBLISHED.value, published_at=now
        )
        snapshot = {"schema": 1, "weight_mode": "exact", **_old_snapshot(live, names)}
        OldPublication.objects.create(
            round=rnd,
            version=1,
            published_at=now,
            report_date=dt.date(2025, 1, 10),
            weight_mode="exact",
            respondents=len(live),
            snapshot=snapshot,
        )
        before_rows = {
            r["id"]: [r[f] for f in FIELDS] for r in OldResponse.objects.values("id", *FIELDS).order_by("id")
        }
    finally:
        _migrate_latest()

    # Every answer, audit record and test answer: the same nine values, in order.
    after_rows = {r.pk: r.scores for r in Response.all_objects.order_by("id")}
    assert after_rows == {pk: {"SKM": values} for pk, values in before_rows.items()}
    assert {h.id: h.scores for h in HistoricalResponse.objects.all()} == after_rows
    assert [p.scores for p in PracticeResponse.objects.all()] == [
        {"SKM": [2, None, None, None, None, None, None, None, None]}
    ]
    # The tallies: copied, and equal to a rebuild from the migrated rows.
    copied = stored()
    assert copied and sum(v[0] for v in copied.values()) == len(live)
    tally_rebuild()
    assert stored() == copied
    assert ItemTally.objects.exclude(instrument="SKM").count() == 0
    # Every published snapshot, recomputed by today's code from the migrated data: unchanged.
    for publication in RoundPublication.objects.select_related("round__unit", "round__period"):
        fresh = round_snapshot_build(round=publication.round, weight_mode=WeightMode(publication.weight_mode))
        for key in ("respondents", "unsur", "services"):
            assert fresh[key] == publication.snapshot[key], key
    assert SurveyRound.objects.count() == 1
