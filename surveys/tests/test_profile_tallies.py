"""Profile tallies (ProfileTally, issue 21 point 5): the respondent profile per
(unit, period, jenis layanan) kept by every write path in the same transaction,
so the results page never groups the responses. Expected counts are written by
hand per case; the random sequence compares with a recount of the raw rows in
Python."""

import datetime as dt
import io
import random
import uuid

import pytest

from surveys.models import ImportBatch, ProfileTally, Response
from surveys.results import profile_tables_for, profile_tables_get
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
from surveys.tests.factories import ServiceFactory
from surveys.tests.tallies import CODES

pytestmark = pytest.mark.django_db

ALL_FOUR = dict.fromkeys(CODES, 4)
# The bands of skm.rules.ikm.AGE_BANDS by index: 0 "<= 20", 1 "21 - 30", 2 "31 - 40", 3 "41 - 50", 4 "51 - 60", 5 "> 60".


def stored() -> dict[tuple, int]:
    """{(unit, period, service_key, dimension, value): n} without zero rows."""
    return {
        (t.unit_id, t.period_id, t.service_key, t.dimension, t.value): t.n for t in ProfileTally.objects.all() if t.n
    }


def recount() -> dict[tuple, int]:
    """The same counts from every live raw row, in Python."""
    bands = {None: ""} | {age: str(i) for i, (lo, hi) in enumerate(_BAND_LIMITS) for age in range(lo, hi + 1)}
    out: dict[tuple, int] = {}
    for r in Response.objects.all():
        key = (r.unit_id, r.period_id, r.service_id or 0)
        values = {
            "gender": r.gender,
            "age": bands[r.age],
            "education": r.education,
            "occupation": r.occupation,
            "disability": r.disability,
        }
        for dimension, value in values.items():
            out[(*key, dimension, value)] = out.get((*key, dimension, value), 0) + 1
    return out


# Written out by hand from the regulation's seed tables (Tabel III.2 of seed 004).
_BAND_LIMITS = [(10, 20), (21, 30), (31, 40), (41, 50), (51, 60), (61, 120)]


def counts(unit, period, dimension: str, service=None) -> dict[str, int]:
    key = service.pk if service else 0
    return {
        value: n for (u, p, s, d, value), n in stored().items() if (u, p, s, d) == (unit.pk, period.pk, key, dimension)
    }


def test_web_and_paper_answers_add_their_profile(unit, period, alice, during_period):
    response_create_web(
        unit=unit,
        period=period,
        service=None,
        client_token=uuid.uuid4(),
        answers=ALL_FOUR,
        gender="P",
        age=20,
        education="SMA",
    )
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="L", age=21)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 2}, gender="P", age=None)
    assert counts(unit, period, "gender") == {"P": 2, "L": 1}
    assert counts(unit, period, "age") == {"0": 1, "1": 1, "": 1}  # 20 is in the first band, 21 in the second
    assert counts(unit, period, "education") == {"SMA": 1, "": 2}
    assert counts(unit, period, "disability") == {"": 3}


def test_an_edit_moves_the_profile_and_the_service(unit, period, alice):
    ktp = ServiceFactory(unit=unit, name="KTP")
    r = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="L", age=45)
    response_update(response=r, user=alice, gender="P", age=61, service=ktp)
    assert counts(unit, period, "gender") == {}
    assert counts(unit, period, "gender", ktp) == {"P": 1}
    assert counts(unit, period, "age", ktp) == {"5": 1}


def test_delete_and_restore(unit, period, alice):
    r = response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, occupation="PNS")
    response_delete(response=r, user=alice, reason="ganda")
    assert counts(unit, period, "occupation") == {}
    response_restore(response=Response.all_objects.get(pk=r.pk), user=alice)
    assert counts(unit, period, "occupation") == {"PNS": 1}


def test_import_undo_and_restore(unit, period, alice):
    data = (
        b"no,jenis_kelamin,usia,pendidikan,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
        b"1,P,33,SMA,4,4,4,4,4,4,4,4,4\n"
        b"2,P,38,,3,3,3,3,3,3,3,3,3\n"
        b"3,L,,STRATA,2,2,2,2,2,2,2,2,2\n"
    )
    batch = import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice).batch
    assert counts(unit, period, "gender") == {"P": 2, "L": 1}
    assert counts(unit, period, "age") == {"2": 2, "": 1}
    assert counts(unit, period, "education") == {"SMA": 1, "": 1, "STRATA": 1}
    import_batch_undo(batch=batch, user=alice, reason="berkas salah")
    assert counts(unit, period, "gender") == {}
    import_batch_restore(batch=ImportBatch.objects.get(pk=batch.pk), user=alice)
    assert counts(unit, period, "age") == {"2": 2, "": 1}


def test_retention_erasure_turns_the_profile_into_not_filled_in(unit, period, alice):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="P", age=40)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="L", age=70)
    personal_data_erase_expired(actor="system", months=1, today=dt.date(2026, 1, 1))
    assert counts(unit, period, "gender") == {"": 2}
    assert counts(unit, period, "age") == {"": 2}
    assert stored() == recount()


def test_results_tables_from_the_tallies_equal_the_group_by(unit, period, reference_responses):
    """The reference survey (50 respondents): the five tables read from the
    tallies are the ones the GROUP BY over the responses gives."""
    from django.db.models import Q

    from_tallies = profile_tables_get(unit=unit, period=period)
    assert from_tallies == profile_tables_for(filters=Q(unit=unit, period=period))
    gender = next(t for t in from_tallies if t.key == "gender")
    assert gender.total == 50


def test_rebuild_gives_what_the_write_paths_keep(unit, period, alice, during_period):
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3}, gender="P", age=25)
    response_create_web(
        unit=unit, period=period, service=None, client_token=uuid.uuid4(), answers=ALL_FOUR, disability="FISIK"
    )
    kept = stored()
    ProfileTally.objects.update(n=99)
    tally_rebuild(unit_id=unit.pk, period_id=period.pk)
    assert stored() == kept == recount()


def test_random_writes_keep_profiles_exact(unit, period, alice, during_period):
    rng = random.Random(20261207)
    services = [None, ServiceFactory(unit=unit, name="KTP"), ServiceFactory(unit=unit, name="KK")]

    def profile() -> dict:
        return {
            "gender": rng.choice(["", "L", "P"]),
            "age": rng.choice([None, 17, 20, 21, 35, 50, 51, 60, 61, 90]),
            "education": rng.choice(["", "SD", "SMA", "STRATA"]),
            "occupation": rng.choice(["", "PNS", "SWASTA"]),
            "disability": rng.choice(["", "TIDAK", "FISIK"]),
        }

    def csv_rows(n: int) -> bytes:
        head = "no,layanan,jenis_kelamin,usia,pendidikan,pekerjaan,disabilitas," + ",".join(CODES) + "\n"
        lines = []
        for i in range(1, n + 1):
            p = profile()
            age = "" if p["age"] is None or p["age"] < 17 else p["age"]
            cells = [i, rng.choice(["", "KTP", "KK"]), p["gender"], age, p["education"], p["occupation"]]
            lines.append(",".join(map(str, [*cells, p["disability"], *[rng.randint(1, 4) for _ in CODES]])))
        return (head + "\n".join(lines) + "\n").encode()

    done: set[str] = set()
    for step in range(200):
        op = rng.choice(["web", "paper", "paper", "edit", "edit", "delete", "restore", "import", "undo", "redo"])
        live = list(Response.objects.filter(channel__in=["kertas", "impor"]).order_by("id"))
        if op == "web":
            response_create_web(
                unit=unit,
                period=period,
                service=rng.choice(services),
                client_token=uuid.uuid4(),
                answers=ALL_FOUR,
                **{k: v for k, v in profile().items() if k != "age" or v is None or v >= 17},
            )
        elif op == "paper":
            response_create_paper(
                unit=unit, period=period, user=alice, answers={"U1": 2}, service=rng.choice(services), **profile()
            )
        elif op == "edit" and live:
            changes = {k: v for k, v in profile().items() if rng.random() < 0.5}
            response_update(response=rng.choice(live), user=alice, **changes)
        elif op == "delete" and Response.objects.exists():
            response_delete(response=rng.choice(list(Response.objects.order_by("id"))), user=alice, reason="acak")
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
            rows = csv_rows(rng.randint(1, 5))
            import_batch_create(
                fh=io.BytesIO(rows), filename="acak.csv", unit=unit, period=period, user=alice, force=True, create=True
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
        done.add(op)
        if step % 40 == 0:
            assert stored() == recount(), f"after step {step} ({op})"
    assert stored() == recount()
    assert done == {"web", "paper", "edit", "delete", "restore", "import", "undo", "redo"}
    assert len({k[2] for k in recount()}) == 3  # no jenis layanan, KTP and KK all hold answers


def test_skm_rebuild_command_restores_what_the_write_paths_keep(unit, period, alice, other_unit):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from surveys.models import ItemTally
    from surveys.tests.tallies import stored as answer_tallies

    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 3, "U2": 4}, gender="L", age=33)
    response_create_paper(unit=unit, period=period, user=alice, answers={"U1": 1}, education="SD")
    kept_answers, kept_profiles = answer_tallies(), stored()
    ItemTally.objects.update(total=1234)  # damaged, e.g. by a bulk load that bypassed the services
    ProfileTally.objects.all().delete()
    out = io.StringIO()
    call_command("skm_rebuild", "--unit", unit.code, "--period", "2024-s2", stdout=out)
    assert answer_tallies() == kept_answers
    assert stored() == kept_profiles == recount()
    # 9 SKM items + the respondents row; 5 dimensions: gender L/'' , age 2/'' , education ''/SD, occupation '', disability '';
    # the unit's one SKM row of the league table.
    assert "10 baris jawaban, 8 baris profil, 1 baris peringkat" in out.getvalue()
    with pytest.raises(CommandError, match="Unit 'tidak-ada' tidak ditemukan."):
        call_command("skm_rebuild", "--unit", "tidak-ada")
    with pytest.raises(CommandError, match="Periode '2099-S9' tidak ditemukan."):
        call_command("skm_rebuild", "--period", "2099-S9")
