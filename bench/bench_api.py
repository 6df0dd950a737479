#!/usr/bin/env python
"""The REST API against the web pages it mirrors, under gunicorn, in the same run.

    .venv/bin/python bench/bench_api.py [--threads 8] [--pairs 6 --pair-seconds 3] [--requests 30]

Creates ``skm_bench_api`` (dropped at the end) and starts the same gunicorn as
bench_submit.py (2 sync workers, production settings through bench/submit_app,
Redis cache, requests over https as behind nginx; the submission and API rate
limits count but never block). Setup: the unit ``bench`` with its round open
(bench_submit's setup), a staff user of it with a ``write-responses`` token, and
the unit ``pulutan`` with ``--responses`` responses (bench_pages' SQL load) in a
closed, published round. Then ``--pairs`` rounds, each of two interleaved pairs,
the side that goes first alternating between rounds:

1. submissions: ``POST /api/v1/units/bench/responses/`` (JSON, bearer token, a
   fresh ``Idempotency-Key`` each, 201 is a success) against the questionnaire
   POST alone (bench_submit's measure: forms fetched untimed before the pair),
   each side ``--pair-seconds`` from ``--threads`` client threads; ratio = API
   rate / web POST rate;
2. published results, one client, ``--requests`` sequential warm GETs a side:
   ``GET /api/v1/units/pulutan/publications/`` without and with
   ``If-None-Match`` (a 304) against the public page ``/publik/pulutan/hasil/``
   (served from its per-publication cache); ratio = median API time / median
   page time.

Each round's ratios are printed with the load average, then min / median /
max, and a ``RESULT {json}`` line for bench/run_all.py. Afterwards it counts
rows: every API 201 and every web 302 stored exactly once (zero lost, zero
duplicated, distinct tokens), or it exits 1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _collection_db import PYTHON, ROOT, bench_database
from _prod import db_name, load, production_env, spread
from bench_submit import (
    ANSWERS,
    UNSUR_CODES,
    count,
    fetch_forms,
    post_forms,
    questionnaire_once,
    request,
    run_phase,
    setup_data,
    start_gunicorn,
    stop,
)

SETUP = """
import sys; sys.path.insert(0, "bench")
import django; django.setup()
from django.contrib.auth import get_user_model
from skm.api.services import api_token_create
from skm.rules.ikm import WeightMode
from surveys.models import Period, Service, SurveyRound, Unit, UnitRole
from surveys.services_rounds import round_close, round_open, round_publish
from bench_pages import load

User = get_user_model()
staff = User.objects.create_user("bench-api", "api@example.invalid", "bench-pass-123")
UnitRole.objects.create(user=staff, unit=Unit.objects.get(code="bench"), role=UnitRole.Role.STAFF)
_row, token = api_token_create(user=staff, name="bench", scopes=["write-responses"], days=1)
admin = User.objects.create_superuser("bench-admin", "admin@example.invalid", "bench-pass-123")
kota = Unit.objects.create(code="salatiga", name="Pemerintah Kota Salatiga")
kec = Unit.objects.create(code="sidorejo", name="Kecamatan Sidorejo", parent=kota)
unit = Unit.objects.create(code="pulutan", name="Kelurahan Pulutan", parent=kec)
period = Period.objects.create(code="2024-S2", kind="semester", start_date="2024-07-01", end_date="2024-12-31")
services = [Service.objects.create(unit=unit, name=f"Layanan {i + 1}").id for i in range(3)]
round_open(unit=unit, period=period, user=admin, reason="bench")
load(ROWS, unit, period, services)
rnd = round_close(round=SurveyRound.objects.get(unit=unit, period=period), user=admin)
round_publish(round=rnd, user=admin, weight_mode=WeightMode.EXACT, note="bench")
print(staff.pk)
print(token)
"""

# The web form's answers in the API's shape.
PAYLOAD = json.dumps(
    {
        "jawaban": {code: int(ANSWERS[code.lower()]) for code in UNSUR_CODES},
        "jenis_kelamin": ANSWERS["jenis_kelamin"],
        "usia": int(ANSWERS["usia"]),
        "pendidikan": ANSWERS["pendidikan"],
        "pekerjaan": ANSWERS["pekerjaan"],
    }
).encode()
PUBLICATIONS = "/api/v1/units/pulutan/publications/"
PUBLIC_PAGE = "/publik/pulutan/hasil/"


def setup_api(url: str, rows: int) -> tuple[int, str]:
    """The staff user's id and its write-responses token; the published unit."""
    out = subprocess.run(
        [PYTHON, "-c", f"ROWS = {rows}\n" + SETUP],
        cwd=ROOT,
        env=production_env(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[-2]), out[-1]


def api_submit(token: str) -> bool:
    status, _, body = request(
        "POST",
        "/api/v1/units/bench/responses/",
        PAYLOAD,
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
    )
    return status == 201 and json.loads(body)["created"] is True


def get_ms(path: str, headers: dict | None, expect: int) -> float:
    t0 = time.perf_counter()
    status, _, _ = request("GET", path, None, headers)
    elapsed = time.perf_counter() - t0
    if status != expect:
        raise SystemExit(f"GET {path} answered {status}, expected {expect}")
    return elapsed * 1000


def etag() -> str:
    status, headers, _ = request("GET", PUBLICATIONS)
    assert status == 200, status
    return {k.lower(): v for k, v in headers}["etag"]


def interleaved(token: str, args) -> list[dict]:
    seconds, threads, n = args.pair_seconds, args.threads, args.requests
    tag = etag()
    gets = {
        "api": lambda: get_ms(PUBLICATIONS, None, 200),
        "api_304": lambda: get_ms(PUBLICATIONS, {"If-None-Match": tag}, 304),
        "page": lambda: get_ms(PUBLIC_PAGE, None, 200),
    }
    for fn in gets.values():  # warm: the page's and the open data's caches
        fn()
    out = []
    for i in range(args.pairs):
        product_first = i % 2 == 1  # as bench_submit: the baseline (web) first in even rounds
        queue = fetch_forms(seconds * 1.5, threads)

        def web(queue=queue):
            return post_forms(queue, seconds, threads)

        def api():
            return run_phase(api_submit, token, seconds, threads)

        if product_first:
            a, w = api(), web()
        else:
            w, a = web(), api()
        if not queue:
            print(f"  round {i + 1}: ran out of fetched forms; its web POST rate is a lower bound")
        order = list(gets) if not product_first else list(reversed(gets))
        ms: dict[str, list[float]] = {k: [] for k in gets}
        for _ in range(n):
            for k in order:
                ms[k].append(gets[k]())
        med = {k: statistics.median(v) for k, v in ms.items()}
        rate = lambda result: result[0] / result[2]  # noqa: E731
        out.append(
            {
                "web": w,
                "api": a,
                "web_rate": rate(w),
                "api_rate": rate(a),
                "submit_ratio": rate(a) / rate(w) if w[0] else 0.0,
                "ms": med,
                "get_ratio": med["api"] / med["page"],
                "get304_ratio": med["api_304"] / med["page"],
                "load": load(),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--threads", type=int, default=8, help="client threads for the submissions")
    parser.add_argument("--pairs", type=int, default=6, help="rounds of interleaved pairs")
    parser.add_argument("--pair-seconds", type=float, default=3.0, help="duration of each side of a submission pair")
    parser.add_argument("--requests", type=int, default=30, help="sequential GETs a side per round")
    parser.add_argument("--responses", type=int, default=1000, help="responses in the published round")
    args = parser.parse_args()
    with bench_database(db_name("skm_bench_api"), settings_env=production_env) as url:
        setup_data(url)
        staff_id, token = setup_api(url, args.responses)
        proc = start_gunicorn(url)
        try:
            run_phase(api_submit, token, 1, 2)  # warm-up
            run_phase(questionnaire_once, None, 1, 2)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(
                    "DELETE FROM surveys_response WHERE unit_id = (SELECT id FROM surveys_unit WHERE code = 'bench')"
                )
            rounds = interleaved(token, args)
        finally:
            stop(proc)
        bench_unit = "unit_id = (SELECT id FROM surveys_unit WHERE code = 'bench')"
        api_rows, api_tokens = count(url, f"{bench_unit} AND created_by_id = {staff_id}")
        web_rows, web_tokens = count(url, f"{bench_unit} AND client_token IS NOT NULL AND created_by_id IS NULL")
    api_ok = sum(r["api"][0] for r in rounds)
    web_ok = sum(r["web"][0] for r in rounds)
    api_failed = sum(r["api"][1] for r in rounds)
    web_failed = sum(r["web"][1] for r in rounds)
    print(
        f"gunicorn 2 sync workers, production settings (Redis cache), PostgreSQL, {args.threads} client threads "
        f"for submissions, {len(rounds)} rounds, {args.pair_seconds:.0f} s a side; {args.requests} sequential GETs "
        f"a side, published round of {args.responses} responses"
    )
    print(
        f"{'round':<7}{'first':<9}{'web POST/s':>11}{'API POST/s':>11}{'ratio':>7}"
        f"{'page ms':>9}{'API ms':>8}{'ratio':>7}{'API 304 ms':>11}{'ratio':>7}  load"
    )
    for i, r in enumerate(rounds):
        m = r["ms"]
        print(
            f"{i + 1:<7}{'web' if i % 2 == 0 else 'API':<9}{r['web_rate']:>11.1f}{r['api_rate']:>11.1f}"
            f"{r['submit_ratio']:>7.2f}{m['page']:>9.1f}{m['api']:>8.1f}{r['get_ratio']:>7.2f}"
            f"{m['api_304']:>11.1f}{r['get304_ratio']:>7.2f}  {r['load']}"
        )
    submit = [r["submit_ratio"] for r in rounds]
    get200 = [r["get_ratio"] for r in rounds]
    get304 = [r["get304_ratio"] for r in rounds]
    print(f"API submission / questionnaire POST alone (rates), min / median / max: {spread(submit)}")
    print(f"API publications / public page (times), min / median / max: {spread(get200)}")
    print(f"API publications with If-None-Match (304) / public page, min / median / max: {spread(get304)}")
    lost = max(0, api_ok - api_rows) + max(0, web_ok - web_rows)
    duplicated = max(0, api_rows - api_ok) + max(0, web_rows - web_ok)
    print(
        f"rows stored: API {api_rows} for {api_ok} created ({api_tokens} distinct tokens); "
        f"web {web_rows} for {web_ok} ok ({web_tokens} distinct tokens); lost {lost}, duplicated {duplicated}; "
        f"failed requests: API {api_failed}, web {web_failed}"
    )
    print(
        "RESULT "
        + json.dumps(
            {
                "submit_ratio": submit,
                "get_ratio": get200,
                "get304_ratio": get304,
                "web": [r["web_rate"] for r in rounds],
                "api": [r["api_rate"] for r in rounds],
                "page_ms": [r["ms"]["page"] for r in rounds],
                "api_ms": [r["ms"]["api"] for r in rounds],
                "api304_ms": [r["ms"]["api_304"] for r in rounds],
                "load": [r["load"] for r in rounds],
                "responses": args.responses,
                "threads": args.threads,
                "lost": lost,
                "duplicated": duplicated,
                "failed": {"api": api_failed, "web": web_failed},
            }
        )
    )
    if api_rows != api_ok or web_rows != web_ok or api_tokens != api_rows or web_tokens != web_rows:
        raise SystemExit("FAILED: stored rows differ from successful submissions")


if __name__ == "__main__":
    main()
