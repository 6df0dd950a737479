#!/usr/bin/env python
"""Web submissions per second under gunicorn + PostgreSQL, against a bare view.

    .venv/bin/python bench/bench_submit.py [--seconds 10] [--threads 8] [--pairs 10 --pair-seconds 3]

Creates the database ``skm_bench_submit`` (dropped at the end), starts
gunicorn (2 sync workers, 127.0.0.1:8765, CONN_MAX_AGE=60,
--no-control-socket) with the bench-only settings in bench/submit_app, then
runs two bounded phases from a pool of client threads on this machine:

- bare: POST to a bare Django view that inserts one row;
- questionnaire: the real flow, GET the form (fresh one-time token, CSRF
  cookie) then POST all answers; a 302 to the thank-you page is a success;
- the same split in two: GET forms for a while (collecting tokens), then
  POST them, which measures submissions alone.

Then ``--pairs`` alternated pairs (bare first in even pairs, submissions first
in odd ones) of ``--pair-seconds`` each, forms fetched before each pair's POST
phase: the ratio of each pair, min / median / max.

Afterwards it counts rows: every success must be stored exactly once
(zero lost, zero duplicated). Load goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
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

HOST, PORT = "127.0.0.1", 8765
TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup_data(url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "skm.settings.local", "DEBUG": "False"}
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


def start_gunicorn(url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "submit_app.settings",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
    }
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
            conn.request("GET", "/isi/bench/")
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
        conn.request(method, path, body=body, headers=headers or {})
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
    **{f"u{i}": str(1 + i % 4) for i in range(1, 10)},
}


def fetch_form() -> tuple[str, str, str] | None:
    """GET the questionnaire: (csrf cookie, csrf form value, one-time token)."""
    status, headers, body = request("GET", "/isi/bench/")
    if status != 200:
        return None
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
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each phase")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--pairs", type=int, default=10, help="alternated bare/submission pairs")
    parser.add_argument("--pair-seconds", type=float, default=3.0, help="duration of each phase of a pair")
    args = parser.parse_args()
    with bench_database("skm_bench_submit") as url:
        period = setup_data(url)
        proc = start_gunicorn(url)
        try:
            run_phase(questionnaire_once, period, 2, 2)  # warm-up
            run_phase(bare_once, period, 1, 2)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DELETE FROM surveys_response")
            bare = run_phase(bare_once, period, args.seconds, args.threads)
            # Submissions alone: fetch forms first, then POST them as fast as possible.
            forms: list = []
            pages = run_phase(lambda _: bool(forms.append(fetch_form()) or forms[-1]), None, args.seconds, args.threads)
            queue = [f for f in forms if f]

            def submit_next(_):
                return post_form(queue.pop())

            posts = run_phase(submit_next, None, args.seconds, args.threads)
            flow = run_phase(questionnaire_once, period, args.seconds, args.threads)
            pairs, pair_posts, pair_bare = alternated_pairs(period, args)
        finally:
            stop(proc)
        bare_rows, _ = count(url, "suggestion = 'bare'")
        web_rows, web_tokens = count(url, "client_token IS NOT NULL")
    print(
        f"gunicorn 2 sync workers, PostgreSQL, CONN_MAX_AGE=60, {args.threads} client threads, "
        f"{args.seconds:.0f} s per phase (shared, noisy 2-core machine)"
    )
    print(f"{'phase':<34}{'ok':>8}{'failed':>8}{'per s':>9}")
    rows = (
        ("bare insert view (POST)", bare),
        ("questionnaire: GET form + POST", flow),
        ("questionnaire: GET form only", pages),
        ("questionnaire: POST only", posts),
    )
    for name, (ok, failed, elapsed) in rows:
        print(f"{name:<34}{ok:>8}{failed:>8}{ok / elapsed:>9.1f}")
    rate = {name: ok / elapsed for name, (ok, _f, elapsed) in rows}
    submitted = flow[0] + posts[0] + pair_posts
    ratios = sorted(r for r, _b, _p in pairs)
    if ratios:
        print(f"{len(ratios)} alternated pairs of {args.pair_seconds:.0f} s: submissions / bare per pair")
        for i, (r, b, q) in enumerate(pairs):
            print(
                f"  pair {i + 1:>2} ({'bare first' if i % 2 == 0 else 'POST first'}): bare {b:.1f}/s, POST {q:.1f}/s, ratio {r:.2f}"
            )
        print(
            f"ratio min / median / max = {ratios[0]:.2f} / {ratios[len(ratios) // 2]:.2f} / {ratios[-1]:.2f} "
            "(target >= 0.70)"
        )
    print(
        f"rows stored: bare {bare_rows} for {bare[0] + pair_bare} ok; questionnaire {web_rows} for {submitted} ok "
        f"(lost {max(0, submitted - web_rows)}, duplicated {max(0, web_rows - submitted)}, "
        f"distinct tokens {web_tokens})"
    )
    print(
        f"submissions (POST) / bare = {rate['questionnaire: POST only'] / rate['bare insert view (POST)']:.2f} "
        f"(target >= 0.50); full GET+POST flow / bare = "
        f"{rate['questionnaire: GET form + POST'] / rate['bare insert view (POST)']:.2f}"
    )
    if bare_rows != bare[0] + pair_bare or web_rows != submitted or web_tokens != web_rows:
        raise SystemExit("FAILED: stored rows differ from successful submissions")


def fetch_forms(seconds: float, threads: int) -> list:
    forms: list = []
    run_phase(lambda _: bool(forms.append(fetch_form()) or forms[-1]), None, seconds, threads)
    return [f for f in forms if f]


def post_forms(queue: list, seconds: float, threads: int) -> tuple[int, int, float]:
    return run_phase(lambda _: post_form(queue.pop()), None, seconds, threads)


def alternated_pairs(period: str, args) -> tuple[list[tuple[float, float, float]], int, int]:
    """(ratio, bare/s, POST/s) per pair, plus the POSTs and bare inserts that succeeded."""
    out, posted, bared = [], 0, 0
    for i in range(args.pairs):
        queue = fetch_forms(args.pair_seconds * 1.5, args.threads)
        if i % 2 == 0:
            b = run_phase(bare_once, period, args.pair_seconds, args.threads)
            q = post_forms(queue, args.pair_seconds, args.threads)
        else:
            q = post_forms(queue, args.pair_seconds, args.threads)
            b = run_phase(bare_once, period, args.pair_seconds, args.threads)
        posted += q[0]
        bared += b[0]
        b_rate, q_rate = b[0] / b[2], q[0] / q[2]
        if not queue:
            print(f"  pair {i + 1}: ran out of fetched forms; its POST rate is a lower bound")
        out.append((q_rate / b_rate if b_rate else 0.0, b_rate, q_rate))
    return out, posted, bared


if __name__ == "__main__":
    main()
