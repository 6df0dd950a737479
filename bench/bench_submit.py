#!/usr/bin/env python
"""Web submissions per second under gunicorn + PostgreSQL, against bare views.

    .venv/bin/python bench/bench_submit.py [--threads 8] [--pairs 6 --pair-seconds 3] [--pgbouncer]

Creates the database ``skm_bench_submit`` (dropped at the end), starts
gunicorn (2 sync workers, 127.0.0.1:8765, CONN_MAX_AGE=60,
--no-control-socket) on the production settings (bench/submit_app: the
product's URLs plus two bare views; Redis cache, see bench/_prod.py), then runs
``--pairs`` rounds from a pool of client threads on this machine. Each round
has two interleaved pairs, each side ``--pair-seconds`` long, the side that
goes first alternating from round to round:

- POST alone: the bare insert view (POST) against questionnaire submissions,
  with forms (one-time token, CSRF cookie) fetched untimed before the pair;
- the respondent's full flow: a bare GET (a page of the questionnaire's size,
  no database, template or cache) then the bare insert, against GET the
  questionnaire then POST it (a 302 to the thank-you page is a success).

It prints each pair's ratio and the load average, then min / median / max.
Requests carry ``X-Forwarded-Proto: https`` and an ``Origin`` as behind nginx.
``--pgbouncer``: gunicorn (both sides of every pair) connects through the PgBouncer
of ``scripts/pg-scale.sh`` (transaction pool mode, 127.0.0.1:$SKM_PGBOUNCER_PORT,
default 6432) with ``SKM_DB_POOLER=pgbouncer-transaction`` and what it implies (the
web insert unprepared, no server-side cursors); the database is made, migrated,
counted and dropped on the primary directly. Run ``scripts/pg-scale.sh start`` first.
Afterwards it counts rows: every success must be stored exactly once
(zero lost, zero duplicated), or it exits 1. Load goes to 127.0.0.1 only and
stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _collection_db import PYTHON, ROOT, bench_database
from _prod import db_name, load, production_env, spread, through_pgbouncer

sys.path.insert(0, str(ROOT))
from skm.rules.unsur import UNSUR_CODES

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_SUBMIT_PORT", "8765"))
# What nginx adds (SKM_BEHIND_PROXY=True): the request came over https.
PROXY = {"X-Forwarded-Proto": "https", "Origin": f"https://{HOST}:{PORT}"}
TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup_data(url: str) -> str:
    env = production_env(url)
    code = """
import django; django.setup()
from django.utils import timezone
from surveys.models import Unit
from surveys.services import period_get_or_create
from surveys.services_rounds import round_open
today = timezone.localdate()
p, _ = period_get_or_create(code=f"{today.year}-S{1 if today.month <= 6 else 2}")
u, _ = Unit.objects.get_or_create(code="bench", defaults={"name": "Unit Uji Beban"})
round_open(unit=u, period=p, user=None)
print(p.code)
"""
    return subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def start_gunicorn(url: str, *, pgbouncer: bool = False) -> subprocess.Popen:
    extra = {"DJANGO_SETTINGS_MODULE": "submit_app.settings", "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
    if pgbouncer:
        url = through_pgbouncer(url)
        extra["SKM_DB_POOLER"] = "pgbouncer-transaction"
    env = production_env(url, **extra)
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            gunicorn,
            "skm.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
            "--no-control-socket",
            "--log-level",
            "warning",
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}); is port {PORT} free?")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/isi/bench/", headers=PROXY)
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop(proc)
    raise SystemExit("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def request(method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    try:
        conn.connect()
        # http.client sends headers and body in two writes: without NODELAY,
        # Nagle + delayed ACK can stall a POST for ~40 ms and measure nothing but that.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.request(method, path, body=body, headers={**PROXY, **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()


def bare_once(period: str) -> bool:
    status, _, _ = request("POST", f"/bench/bare/?p={period}", b"")
    return status == 200


ANSWERS = {
    "jenis_kelamin": "L",
    "usia": "35",
    "pendidikan": "SMA",
    "pekerjaan": "SWASTA",
    "saran": "",
    **{code.lower(): str(1 + i % 4) for i, code in enumerate(UNSUR_CODES, start=1)},
}


PAGE_SIZE = [20000]


def bare_pair_once(period: str) -> bool:
    """The bare GET (a page of the questionnaire's size) then the bare insert."""
    status, _, body = request("GET", f"/bench/bare-page/?size={PAGE_SIZE[0]}")
    return status == 200 and bool(body) and bare_once(period)


def fetch_form() -> tuple[str, str, str] | None:
    """GET the questionnaire: (csrf cookie, csrf form value, one-time token)."""
    status, headers, body = request("GET", "/isi/bench/")
    if status != 200:
        return None
    PAGE_SIZE[0] = len(body)
    cookie = next(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    return cookie, CSRF_RE.search(body).group(1).decode(), TOKEN_RE.search(body).group(1).decode()


def post_form(form: tuple[str, str, str]) -> bool:
    cookie, csrf, token = form
    data = {**ANSWERS, "token": token, "csrfmiddlewaretoken": csrf}
    status, headers, _ = request(
        "POST",
        "/isi/bench/",
        urllib.parse.urlencode(data).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    return status == 302 and "terima-kasih" in dict(headers).get("Location", "")


def questionnaire_once(_period: str) -> bool:
    form = fetch_form()
    return form is not None and post_form(form)


def run_phase(fn, arg, seconds: float, threads: int) -> tuple[int, int, float]:
    """Call fn(arg) from `threads` threads until `seconds` pass (or fn raises
    IndexError: nothing left to do). Returns (ok, failed, elapsed)."""
    ok = [0] * threads
    failed = [0] * threads
    stop_at = time.perf_counter() + seconds

    def worker(i: int) -> None:
        while time.perf_counter() < stop_at:
            try:
                if fn(arg):
                    ok[i] += 1
                else:
                    failed[i] += 1
            except IndexError:
                return
            except (OSError, http.client.HTTPException, AttributeError, StopIteration):
                failed[i] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(ok), sum(failed), time.perf_counter() - start


def count(url: str, where: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        total = conn.execute(f"SELECT count(*) FROM surveys_response WHERE {where}").fetchone()[0]
        distinct = conn.execute(f"SELECT count(DISTINCT client_token) FROM surveys_response WHERE {where}").fetchone()[
            0
        ]
    return total, distinct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--pairs", type=int, default=6, help="rounds of interleaved pairs")
    parser.add_argument("--pair-seconds", type=float, default=3.0, help="duration of each side of a pair")
    parser.add_argument("--pgbouncer", action="store_true", help="gunicorn through PgBouncer (transaction mode)")
    args = parser.parse_args()
    with bench_database(db_name("skm_bench_submit"), settings_env=production_env) as url:
        period = setup_data(url)
        proc = start_gunicorn(url, pgbouncer=args.pgbouncer)
        try:
            run_phase(questionnaire_once, period, 2, 2)  # warm-up
            run_phase(bare_pair_once, period, 1, 2)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DELETE FROM surveys_response")
            rounds = interleaved(period, args)
        finally:
            stop(proc)
        bare_rows, _ = count(url, "suggestion = 'bare'")
        web_rows, web_tokens = count(url, "client_token IS NOT NULL")
    bare_ok = sum(r["bare_post"][0] + r["bare_pair"][0] for r in rounds)
    submitted = sum(r["post"][0] + r["flow"][0] for r in rounds)
    via = ", through PgBouncer (transaction pool mode)" if args.pgbouncer else ""
    print(
        f"gunicorn 2 sync workers, production settings (Redis cache), PostgreSQL{via}, CONN_MAX_AGE=60, "
        f"{args.threads} client threads, {len(rounds)} rounds of two interleaved pairs, {args.pair_seconds:.0f} s a side"
    )
    print(
        f"{'round':<7}{'first':<9}{'bare POST/s':>12}{'POST/s':>8}{'ratio':>7}{'bare GET+POST/s':>17}{'flow/s':>8}{'ratio':>7}  load"
    )
    for i, r in enumerate(rounds):
        print(
            f"{i + 1:<7}{'bare' if i % 2 == 0 else 'product':<9}{r['bare_post_rate']:>12.1f}{r['post_rate']:>8.1f}"
            f"{r['post_ratio']:>7.2f}{r['bare_pair_rate']:>17.1f}{r['flow_rate']:>8.1f}{r['flow_ratio']:>7.2f}  {r['load']}"
        )
    post_ratios = [r["post_ratio"] for r in rounds]
    flow_ratios = [r["flow_ratio"] for r in rounds]
    print(f"questionnaire POST alone / bare insert POST, min / median / max: {spread(post_ratios)} (target >= 0.70)")
    print(f"full GET+POST flow / bare GET+POST pair, min / median / max: {spread(flow_ratios)} (target >= 0.50)")
    print(
        f"rows stored: bare {bare_rows} for {bare_ok} ok; questionnaire {web_rows} for {submitted} ok "
        f"(lost {max(0, submitted - web_rows)}, duplicated {max(0, web_rows - submitted)}, "
        f"distinct tokens {web_tokens})"
    )
    print(
        "RESULT "
        + json.dumps(
            {
                "post_ratio": post_ratios,
                "flow_ratio": flow_ratios,
                "bare_post": [r["bare_post_rate"] for r in rounds],
                "post": [r["post_rate"] for r in rounds],
                "bare_pair": [r["bare_pair_rate"] for r in rounds],
                "flow": [r["flow_rate"] for r in rounds],
                "load": [r["load"] for r in rounds],
                "lost": max(0, submitted - web_rows),
                "duplicated": max(0, web_rows - submitted),
                "pgbouncer": args.pgbouncer,
            }
        )
    )
    if bare_rows != bare_ok or web_rows != submitted or web_tokens != web_rows:
        raise SystemExit("FAILED: stored rows differ from successful submissions")


def fetch_forms(seconds: float, threads: int) -> list:
    forms: list = []
    run_phase(lambda _: bool(forms.append(fetch_form()) or forms[-1]), None, seconds, threads)
    return [f for f in forms if f]


def post_forms(queue: list, seconds: float, threads: int) -> tuple[int, int, float]:
    return run_phase(lambda _: post_form(queue.pop()), None, seconds, threads)


def interleaved(period: str, args) -> list[dict]:
    """Per round: the POST-alone pair and the full-flow pair, each side timed
    back to back with its baseline; the order alternates between rounds."""
    out = []
    seconds, threads = args.pair_seconds, args.threads
    for i in range(args.pairs):
        product_first = i % 2 == 1
        queue = fetch_forms(seconds * 1.5, threads)

        def bare_post():
            return run_phase(bare_once, period, seconds, threads)

        def posts(queue=queue):
            return post_forms(queue, seconds, threads)

        def bare_pair():
            return run_phase(bare_pair_once, period, seconds, threads)

        def flow():
            return run_phase(questionnaire_once, period, seconds, threads)

        if product_first:
            q, b = posts(), bare_post()
            f, bp = flow(), bare_pair()
        else:
            b, q = bare_post(), posts()
            bp, f = bare_pair(), flow()
        if not queue:
            print(f"  round {i + 1}: ran out of fetched forms; its POST rate is a lower bound")
        rate = lambda result: result[0] / result[2]  # noqa: E731
        out.append(
            {
                "bare_post": b,
                "post": q,
                "bare_pair": bp,
                "flow": f,
                "bare_post_rate": rate(b),
                "post_rate": rate(q),
                "bare_pair_rate": rate(bp),
                "flow_rate": rate(f),
                "post_ratio": rate(q) / rate(b) if b[0] else 0.0,
                "flow_ratio": rate(f) / rate(bp) if bp[0] else 0.0,
                "load": load(),
            }
        )
    return out


if __name__ == "__main__":
    main()
