"""The same file imported twice at the same moment is stored once.

Two threads, two database connections, committed transactions: the duplicate
check must hold under real concurrency, not only one request after another."""

import io
import threading

import pytest
from django.db import connection

from surveys.importing import ImportFileError
from surveys.models import ImportBatch, Response
from surveys.services import import_batch_create

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"


def csv_bytes(rows: int) -> bytes:
    return (HEADER + "".join(f"{i},1,2,3,4,1,2,3,4,1\n" for i in range(1, rows + 1))).encode()


def _race(unit, period, data: bytes, *, force: bool = False, threads: int = 2) -> list:
    barrier = threading.Barrier(threads)
    outcomes: list = [None] * threads

    def work(i):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = import_batch_create(
                fh=io.BytesIO(data), filename="sama.csv", unit=unit, period=period, force=force
            )
        except Exception as exc:  # collected and asserted below
            outcomes[i] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not any(w.is_alive() for w in workers)
    return outcomes


@pytest.mark.parametrize("trial", range(3))
def test_two_concurrent_imports_of_one_file_store_it_once(unit, period, trial):
    data = csv_bytes(5000)
    outcomes = _race(unit, period, data)
    refused = [o for o in outcomes if isinstance(o, ImportFileError)]
    assert len(refused) == 1, outcomes
    assert "sudah diimpor" in refused[0].errors[0] or "sedang diimpor" in refused[0].errors[0]
    assert ImportBatch.objects.count() == 1
    assert Response.objects.count() == 5000


def test_forced_concurrent_imports_are_both_stored(unit, period):
    data = csv_bytes(200)
    outcomes = _race(unit, period, data, force=True)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert ImportBatch.objects.count() == 2
    assert Response.objects.count() == 400
