"""Pre-aggregated tallies (surveys/services_tallies.py, ItemTally): kept exact
by every write path, checked against a recount of the raw rows."""

import datetime as dt
import io
import random
import uuid

import pytest

from surveys.models import ImportBatch, ItemTally, Response, Service
from surveys.services import (
    import_batch_create,
    import_batch_restore,
    import_batch_undo,
    personal_data_erase_expired,
    response_create_paper,
    response_create_web,
    response_delete,
    response_restore,
    response_update,
)
from surveys.services_tallies import tally_rebuild
from surveys.tests.factories import PeriodFactory, ServiceFactory, SurveyRoundFactory, UnitFactory
from surveys.tests.tallies import CODES, stored, tally

pytestmark = pytest.mark.django_db


def recount() -> dict[tuple, list[int]]:
    """The tallies recomputed in Python from every live raw row (no SQL aggregate):
    per (unit, period, jenis layanan) the respondents, then per item its sum,
    answered count and the counts of 1..4."""
    out: dict[tuple, list[int]] = {}
    for r in Response.objects.all():
        row = out.setdefault((r.unit_id, r.period_id, r.service_id or 0), [0] * 55)
        row[0] += 1
        for i, code in enumerate(CODES):
            v = r.answers()[code]
            base = 1 + 6 * i
            row[base] += v or 0
            row[base + 1] += v is not None
            if v is not None:
                row[base + 1 + v] += 1
    return out


def csv_bytes(rows: list[tuple[str, list[int | None]]]) -> bytes:
    head = "no,layanan,jenis_kelamin,usia,pendidikan,pekerjaan," + ",".join(f"U{i}" for i in range(1, 10)) + ",saran\n"
    lines = [
        f"{n},{service},P,30,SMA,SWASTA," + ",".join("" if v is None else str(v) for v in answers) + ","
        for n, (service, answers) in enumerate(rows, start=1)
    ]
    return (head + "\n".join(lines) + "\n").encode()


# --- hand-numbered cases per write path ------------------------------------------


def test_web_insert_adds_one_row(unit, period, during_period):
    svc = ServiceFactory(unit=unit, name="KTP")
    answers = {"U1": 4, "U2": 1, "U3": None, "U4": 2, "U5": 3, "U6": 3, "U7": 4, "U8": 4, "U9": 1}
    response_create_web(unit=unit, period=period, service=svc, client_token=uuid.uuid4(), answers=answers)
    t = tally(unit, period, svc)
    assert (t.respondents, t.U1_sum, t.U1_answered, t.U1_n4, t.U1_n1) == (1, 4, 1, 1, 0)
    assert (t.U3_sum, t.U3_answered, t.U3_n1 + t.U3_n2 + t.U3_n3 + t.U3_n4) == (0, 0, 0)
    assert (t.U9_sum, t.U9_n1) == (1, 1)


def test_paper_edit_moves_between_services_and_answers(unit, period, alice):
    a = ServiceFactory(unit=unit, name="A")
    r = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 2, "U2": 3}, service=a)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 4})
    response_update(response=r, user=alice, service=None, answers={"U1": 1, "U2": None})
    assert tally(unit, period, a).respondents == 0
    none = tally(unit, period)
    # Rows: (U1 4) and the edited (U1 1, U2 blank): sum 5, two answered, one 1 and one 4.
    assert (none.respondents, none.U1_sum, none.U1_answered, none.U1_n1, none.U1_n4) == (2, 5, 2, 1, 1)
    assert (none.U2_sum, none.U2_answered, none.U2_n3) == (0, 0, 0)


def test_delete_and_restore(unit, period, alice):
    r = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3})
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 2})
    response_delete(response=r, user=alice, reason="salah ketik")
    t = tally(unit, period)
    assert (t.respondents, t.U1_sum, t.U1_n3, t.U1_n2) == (1, 2, 0, 1)
    response_restore(response=r, user=alice)
    t = tally(unit, period)
    assert (t.respondents, t.U1_sum, t.U1_n3, t.U1_n2) == (2, 5, 1, 1)


def test_import_undo_and_restore(unit, period, alice):
    ServiceFactory(unit=unit, name="KTP")
    data = csv_bytes([("KTP", [4] * 9), ("KTP", [2] * 9), ("", [1, None, 3, 3, 3, 3, 3, 3, 3])])
    batch = import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice).batch
    ktp = tally(unit, period, Service.objects.get(name="KTP"))
    assert (ktp.respondents, ktp.U1_sum, ktp.U1_n4, ktp.U1_n2) == (2, 6, 1, 1)
    none = tally(unit, period)
    assert (none.respondents, none.U1_sum, none.U2_answered) == (1, 1, 0)
    import_batch_undo(batch=batch, user=alice, reason="berkas salah")
    ktp = tally(unit, period, Service.objects.get(name="KTP"))
    none = tally(unit, period)
    assert (ktp.respondents, ktp.U1_sum, none.respondents, none.U1_n1) == (0, 0, 0, 0)
    import_batch_restore(batch=ImportBatch.objects.get(pk=batch.pk), user=alice)
    ktp = tally(unit, period, Service.objects.get(name="KTP"))
    assert (ktp.respondents, ktp.U1_sum, ktp.U9_n4) == (2, 6, 1)


def test_undo_keeps_rows_deleted_before_out(unit, period, alice):
    data = csv_bytes([("", [4] * 9), ("", [2] * 9)])
    batch = import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice).batch
    first = Response.objects.get(import_batch=batch, scores__SKM__0=4)
    response_delete(response=first, user=alice, reason="ganda")
    import_batch_undo(batch=batch, user=alice, reason="berkas salah")
    import_batch_restore(batch=ImportBatch.objects.get(pk=batch.pk), user=alice)
    t = tally(unit, period)
    assert (t.respondents, t.U1_sum, t.U1_n4) == (1, 2, 0)


def test_failed_write_leaves_tallies_untouched(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3})
    bad = csv_bytes([("", [4] * 9), ("", [9] * 9)])  # an answer 9: the whole file is refused
    with pytest.raises(Exception):  # noqa: B017 - ImportFileError, nothing saved
        import_batch_create(fh=io.BytesIO(bad), filename="b.csv", unit=unit, period=period, user=alice)
    t = tally(unit, period)
    assert (t.respondents, t.U1_sum) == (1, 3)


def test_retention_erase_changes_no_tally(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="P", age=40)
    before = stored()
    personal_data_erase_expired(actor="system", months=1, today=dt.date(2026, 1, 1))
    assert Response.objects.get().age is None
    assert stored() == before


def test_rebuild_equals_recount(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3, "U2": 1})
    ItemTally.objects.all().update(answered=99, total=7)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)
    assert stored() == recount()


# --- a random sequence of writes ---------------------------------------------------


def test_random_writes_keep_tallies_exact(unit, period, alice, during_period):
    rng = random.Random(20241001)
    other = UnitFactory(code="tingkir", name="Kelurahan Tingkir")
    quarter = PeriodFactory(
        code="2024-TW4", kind="triwulan", start_date=dt.date(2024, 10, 1), end_date=dt.date(2024, 12, 31)
    )
    units, periods = [unit, other], [period, quarter]
    for u in units:
        for p in periods:
            SurveyRoundFactory(unit=u, period=p)
    services = {u.pk: [None, ServiceFactory(unit=u, name="KTP"), ServiceFactory(unit=u, name="KK")] for u in units}

    def answers():
        values = [rng.choice([None, 1, 2, 3, 4, 4, 3]) for _ in CODES]
        if all(v is None for v in values):
            values[0] = rng.randint(1, 4)
        return values

    counts: dict[str, int] = {}
    for _step in range(300):
        u, p = rng.choice(units), rng.choice(periods)
        svc = rng.choice(services[u.pk])
        op = rng.choice(["web", "web", "paper", "paper", "edit", "edit", "delete", "restore", "import", "undo", "redo"])
        live = list(Response.objects.filter(channel__in=["kertas", "impor"]).order_by("id"))
        if op == "web":
            a = dict(zip(CODES, answers(), strict=True))
            response_create_web(unit=u, period=p, service=svc, client_token=uuid.uuid4(), answers=a)
        elif op == "paper":
            a = dict(zip(CODES, answers(), strict=True))
            response_create_paper(unit=u, period=p, user=alice, answers=a, service=svc)
        elif op == "edit" and live:
            r = rng.choice(live)
            new = {c: v for c, v in zip(CODES, answers(), strict=True) if rng.random() < 0.5}
            changes: dict = {"answers": new}
            if rng.random() < 0.5:
                changes["service"] = rng.choice(services[r.unit_id])
            if all(v is None for v in {**r.answers(), **new}.values()):
                continue
            response_update(response=r, user=alice, **changes)
        elif op == "delete":
            pool = list(Response.objects.order_by("id"))
            if not pool:
                continue
            response_delete(response=rng.choice(pool), user=alice, reason="acak")
        elif op == "restore":
            pool = list(
                Response.all_objects.filter(deleted_at__isnull=False)
                .exclude(import_batch__undone_at__isnull=False)
                .order_by("id")
            )
            if not pool:
                continue
            response_restore(response=rng.choice(pool), user=alice)
        elif op == "import":
            rows = [(rng.choice(["", "KTP", "KK"]), answers()) for _ in range(rng.randint(1, 6))]
            import_batch_create(
                fh=io.BytesIO(csv_bytes(rows)), filename="acak.csv", unit=u, period=p, user=alice, force=True
            )
        elif op == "undo":
            pool = list(ImportBatch.objects.filter(undone_at__isnull=True).order_by("id"))
            if not pool:
                continue
            import_batch_undo(batch=rng.choice(pool), user=alice, reason="acak")
        elif op == "redo":
            pool = list(ImportBatch.objects.filter(undone_at__isnull=False).order_by("id"))
            if not pool:
                continue
            import_batch_restore(batch=rng.choice(pool), user=alice)
        else:
            continue
        counts[op] = counts.get(op, 0) + 1
        if _step % 50 == 0:
            assert stored() == recount(), f"after step {_step} ({op})"
    assert stored() == recount()
    # The sequence really mixed every write path over both units, periods and all services.
    assert set(counts) == {"web", "paper", "edit", "delete", "restore", "import", "undo", "redo"}
    keys = set(recount())
    assert {k[0] for k in keys} == {u.pk for u in units}
    assert {k[1] for k in keys} == {p.pk for p in periods}
    assert 0 in {k[2] for k in keys} and len({k[2] for k in keys}) == 5
    assert Response.all_objects.filter(deleted_at__isnull=False).exists()
