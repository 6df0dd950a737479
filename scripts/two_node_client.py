"""The client side of scripts/two-node-check.sh: uses the two-node site as people would.

Run by the shell script (which starts nginx, the two gunicorn nodes, the two
Celery workers, the object store and the databases) with the addresses it
chose. Each step fails with exit status 1 and a reason.

``flow``:
1. log in as staff through the balancer; the public results page, through the
   balancer, is read from the streaming replica;
2. upload an evidence photo through node A only, view it through node B only:
   the bytes B serves are the object in the bucket (a JPEG, as the upload is
   re-encoded), and neither node's MEDIA_ROOT holds a file;
3. upload a CSV import through the balancer and wait for the worker of the
   ``imports`` queue (the shell script checks which worker ran it);
4. request a Laporan SKM (PDF) and download it through the balancer once the
   worker of the ``reports`` queue made it.

``load``: a bounded load on the public questionnaire through the balancer, each
answer carrying a unique marker in its saran; a third of the way in, node A's
gunicorn master gets SIGTERM (graceful: it stops accepting, finishes the
requests it has, then exits) or its whole process group SIGKILL (a crash:
requests inside node A are cut off). nginx may pass a questionnaire POST on to
node B after node A failed it; node B then stores it or, if node A had stored
it, answers 409 "Jawaban sudah diterima", which counts as accepted. After a
SIGTERM no answer may fail at all. Then the markers are counted on the
primary: every accepted answer must be stored exactly once, and every request
started after node A was gone (plus a grace window) must have been served, by
node B. The forms that failed are sent once more as they were (same one-time
token), and every posted marker must then be stored exactly once, on the
replica too. Prints the figures and writes them as JSON (--summary).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import boto3
import psycopg
import requests
from PIL import Image, ImageDraw

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')
UNIT = "pulutan"
RECEIVED = "Jawaban sudah diterima"  # the questionnaire's 409 page: the token was used
START = float(os.environ.get("SKM_2NODE_START", time.time()))


def step(text: str) -> None:
    print(f"==> [{int(time.time() - START):3d}s] {text}", flush=True)


def fail(text: str) -> None:
    print(f"two-node-check GAGAL: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def upstream(resp: requests.Response) -> str:
    """The node nginx passed the request to last (X-SKM-Upstream: $upstream_addr,
    "A, B" when it tried A first)."""
    return resp.headers.get("X-SKM-Upstream", "").split(",")[-1].strip()


class Site:
    """One browser: a cookie jar shared by the balancer and the two direct routes
    (cookies do not depend on the port), requests with Origin and Referer as a
    browser sends them on a form post."""

    def __init__(self, ca: str):
        self.http = requests.Session()
        # Only this certificate; no REQUESTS_CA_BUNDLE or proxy from the environment.
        self.http.trust_env = False
        self.http.verify = ca

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.http.get(url, timeout=30, allow_redirects=False, **kwargs)

    def post(self, url: str, data: dict, files: dict | None = None, timeout: float = 30) -> requests.Response:
        origin = "/".join(url.split("/")[:3])
        headers = {"Origin": origin, "Referer": url}
        return self.http.post(url, data=data, files=files, headers=headers, timeout=timeout, allow_redirects=False)

    def csrf(self, url: str) -> str:
        resp = self.get(url)
        if resp.status_code != 200:
            fail(f"GET {url}: {resp.status_code}")
        match = CSRF_RE.search(resp.text)
        if not match:
            fail(f"{url}: no CSRF token in the page")
        return match.group(1)


# --- 1. log in -----------------------------------------------------------------------


def login(site: Site, lb: str, password: str) -> None:
    step("masuk sebagai staf lewat penyeimbang beban")
    token = site.csrf(f"{lb}/masuk/")
    resp = site.post(f"{lb}/masuk/", {"csrfmiddlewaretoken": token, "username": "staf", "password": password})
    if resp.status_code != 302 or resp.headers.get("Location") != "/":
        fail(f"login: {resp.status_code} {resp.headers.get('Location')}")
    home = site.get(f"{lb}/")
    if home.status_code != 200 or "Staf Pulutan" not in home.text:
        fail(f"staff home page: {home.status_code}")


def replica_backends(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def public_page_from_replica(lb: str, ca: str, replica_url: str) -> None:
    """The public results page reads the streaming replica (skm/db_replica.py): after it
    is served, a node holds a connection there (CONN_MAX_AGE), none did before."""
    step("halaman hasil publik lewat penyeimbang beban dibaca dari replika")
    before = replica_backends(replica_url)
    resp = Site(ca).get(f"{lb}/publik/{UNIT}/hasil/")
    if resp.status_code != 200:
        fail(f"public results page: {resp.status_code}")
    after = replica_backends(replica_url)
    if after <= before:
        fail(f"no node connected to the replica for the public page ({before} -> {after} connections)")
    print(f"    koneksi node ke replika: {before} -> {after}", flush=True)


# --- 2. evidence photo: uploaded on A, viewed on B -------------------------------------


def photo_png(marker: str) -> bytes:
    img = Image.new("RGB", (640, 420), (236, 240, 244))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 600, 300), fill=(40, 110, 160))
    draw.text((50, 330), marker, fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def local_files(root: str) -> list[str]:
    return [str(p) for p in Path(root).rglob("*") if p.is_file()]


def photo_across_nodes(site: Site, args, db: psycopg.Connection, run: str) -> None:
    with db.cursor() as cur:
        cur.execute(
            """SELECT i.id FROM followup_planitem i
               JOIN followup_planunsur pu ON pu.id = i.plan_unsur_id
               JOIN followup_plan p ON p.id = pu.plan_id
               JOIN surveys_unit u ON u.id = p.unit_id
               WHERE u.code = %s ORDER BY i.id LIMIT 1""",
            [UNIT],
        )
        row = cur.fetchone()
    if row is None:
        fail("no RTL item of the demo unit")
    item_id = row[0]
    caption = f"Foto uji dua node {run}"
    step(f"unggah foto dokumentasi lewat node A langsung (kegiatan {item_id})")
    token = site.csrf(f"{args.node_a}/tindak-lanjut/kegiatan/{item_id}/")
    resp = site.post(
        f"{args.node_a}/tindak-lanjut/kegiatan/{item_id}/foto/",
        {"csrfmiddlewaretoken": token, "caption": caption},
        files={"image": ("dokumentasi.png", photo_png(caption), "image/png")},
    )
    if resp.status_code != 302:
        fail(f"photo upload on node A: {resp.status_code} {resp.text[:500]}")
    if upstream(resp) != args.addr_a:
        fail(f"photo upload served by {upstream(resp)!r}, not node A")
    with db.cursor() as cur:
        cur.execute("SELECT id, image FROM followup_evidencephoto WHERE caption = %s", [caption])
        rows = cur.fetchall()
    if len(rows) != 1:
        fail(f"photo rows with the caption: {len(rows)}")
    photo_id, name = rows[0]
    if not name.startswith("rtl-privat/"):
        fail(f"photo stored as {name!r}")
    s3 = boto3.client(
        "s3",
        endpoint_url=args.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=args.s3_key,
        aws_secret_access_key=args.s3_secret,
    )
    stored = s3.get_object(Bucket=args.bucket, Key=f"media/{name}")["Body"].read()
    leftovers = [p for p in local_files(args.media_a) if Path(name).name in p or "rtl-privat" in p]
    if leftovers:
        fail(f"node A kept the photo on its disk: {leftovers}")

    step(f"lihat foto {photo_id} lewat node B langsung")
    resp = site.get(f"{args.node_b}/tindak-lanjut/foto/{photo_id}/")
    if resp.status_code != 200 or upstream(resp) != args.addr_b:
        fail(f"photo on node B: {resp.status_code} from {upstream(resp)!r}")
    if resp.content != stored or not stored.startswith(b"\xff\xd8\xff"):
        fail(f"node B served {len(resp.content)} bytes, the bucket holds {len(stored)} (a JPEG expected)")
    if local_files(args.media_b):
        fail(f"node B has files in its MEDIA_ROOT: {local_files(args.media_b)}")
    print(f"    media/{name}: {len(stored)} bytes, dari node B sama dengan objek di bucket", flush=True)


# --- 3. import through the balancer, run by the imports worker ------------------------


def selected_option(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        fail(f"no <select name={name}>")
    options = re.findall(r'<option value="([^"]+)"([^>]*)>', select.group(1))
    chosen = [value for value, attrs in options if "selected" in attrs] or [value for value, _attrs in options]
    return chosen[0]


def import_csv(run: str, rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["No", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", *(f"U{i}" for i in range(1, 10)), "saran"]
    )
    for n in range(1, rows + 1):
        scores = [1 + (n + i) % 4 for i in range(9)]
        writer.writerow([n, "LP"[n % 2], 20 + n, "SMA", "SWASTA", *scores, f"impor {run} baris {n}"])
    return out.getvalue().encode()


def wait_job(site: Site, url: str, seconds: int, what: str) -> dict:
    until = time.time() + seconds
    while True:
        resp = site.get(url)
        if resp.status_code != 200:
            fail(f"{what} status: {resp.status_code}")
        payload = resp.json()
        if payload["status"] in ("done", "failed"):
            return payload
        if time.time() > until:
            fail(f"{what} not finished after {seconds} s: {payload}")
        time.sleep(1)


def import_by_worker(site: Site, lb: str, run: str) -> int:
    step("impor CSV lewat penyeimbang beban, dikerjakan worker antrean imports")
    page = site.get(f"{lb}/unit/{UNIT}/impor/")
    if page.status_code != 200:
        fail(f"import page: {page.status_code}")
    token = CSRF_RE.search(page.text).group(1)
    period = selected_option(page.text, "periode")
    rows = 12
    resp = site.post(
        f"{lb}/unit/{UNIT}/impor/",
        {"csrfmiddlewaretoken": token, "periode": period, "instrumen": "SKM"},
        files={"berkas": (f"dua-node-{run}.csv", import_csv(run, rows), "text/csv")},
    )
    location = resp.headers.get("Location", "")
    match = re.fullmatch(rf"/unit/{UNIT}/impor/tugas/(\d+)/", location)
    if resp.status_code != 302 or not match:
        fail(f"import upload: {resp.status_code} {location!r} {resp.text[:500]}")
    started = time.time()
    payload = wait_job(site, f"{lb}{location}status/", 120, "import job")
    if payload["status"] != "done" or payload["rows"] != rows:
        fail(f"import job: {payload}")
    print(f"    tugas impor {match.group(1)}: {rows} baris dalam {time.time() - started:.1f} s", flush=True)
    return int(match.group(1))


# --- 4. report made by the reports worker, downloaded through the balancer ------------


def report_by_worker(site: Site, lb: str) -> int:
    step("minta Laporan SKM (PDF) lewat penyeimbang beban, dibuat worker antrean reports")
    token = site.csrf(f"{lb}/laporan/unit/{UNIT}/")
    resp = site.post(
        f"{lb}/laporan/unit/{UNIT}/ekspor/",
        {"csrfmiddlewaretoken": token, "kind": "pdf_survey", "period": "2024-S2", "weight_mode": "exact"},
    )
    location = resp.headers.get("Location", "")
    match = re.fullmatch(r"/laporan/tugas/(\d+)/", location)
    if resp.status_code != 302 or not match:
        fail(f"report request: {resp.status_code} {location!r}")
    started = time.time()
    payload = wait_job(site, f"{lb}{location}status/", 240, "report job")
    if payload["status"] != "done" or not payload.get("download_url"):
        fail(f"report job: {payload}")
    pdf = site.get(f"{lb}{payload['download_url']}")
    if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF-"):
        fail(f"report download: {pdf.status_code} {pdf.content[:20]!r}")
    print(
        f"    tugas {match.group(1)}: PDF {len(pdf.content)} bytes dalam {time.time() - started:.1f} s, "
        f"diunduh dari {upstream(pdf)}",
        flush=True,
    )
    return int(match.group(1))


# --- 5. load on the questionnaire while node A stops ----------------------------------


class FormFields(HTMLParser):
    """The questionnaire's fields as a respondent fills them: hidden fields kept,
    one answer of every radio group, the first real option of every select, an age;
    the honeypot stays empty."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("hidden", "radio"):
                self.fields[name] = a.get("value") or ""
            elif kind == "number" or name == "usia":
                self.fields[name] = "35"
            elif kind == "text":
                self.fields.setdefault(name, "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and a.get("value") and self.select not in self.fields:
            self.fields[self.select] = a["value"] or ""
        elif tag == "textarea" and name:
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


@dataclass
class Attempt:
    """One respondent: GET the form, POST it with a unique marker in the saran."""

    marker: str
    accepted: bool = False  # thanked (302) or told the answer was already received (409)
    acknowledged: bool = False  # the 409 of the two
    failure: str = ""
    # The POST as sent, to send again as a respondent would after an error page.
    site: Site | None = None
    data: dict | None = None


@dataclass
class Request:
    started: float
    ended: float
    ok: bool
    node: str


@dataclass
class Load:
    attempts: list[Attempt] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop_sent: float = 0.0
    node_a_gone: float = 0.0

    def record(self, started: float, resp: requests.Response | None, *want: int) -> None:
        ok = resp is not None and resp.status_code in want
        with self.lock:
            node = upstream(resp) if resp is not None else ""
            self.requests.append(Request(started, time.monotonic(), ok, node))


def one_answer(site: Site, url: str, base: dict, marker: str, load: Load) -> None:
    attempt = Attempt(marker=marker)
    with load.lock:
        load.attempts.append(attempt)
    started = time.monotonic()
    try:
        page = site.get(url)
        load.record(started, page, 200)
        if page.status_code != 200:
            attempt.failure = f"GET {page.status_code}"
            return
        data = {
            **base,
            "token": TOKEN_RE.search(page.text).group(1),
            "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1),
            "saran": marker,
        }
        attempt.site, attempt.data = site, data
        started = time.monotonic()
        resp = site.post(url, data, timeout=30)
        load.record(started, resp, 302, 409)
        attempt.accepted = resp.status_code == 302 and "/terima-kasih/" in resp.headers.get("Location", "")
        # nginx passed the POST on after the node that stored it died: the other
        # node acknowledges the answer (one-time token) instead of storing it again.
        attempt.acknowledged = resp.status_code == 409 and RECEIVED in resp.text
        attempt.accepted = attempt.accepted or attempt.acknowledged
        if not attempt.accepted:
            attempt.failure = f"POST {resp.status_code}"
    except requests.RequestException as exc:
        load.record(started, None, 0)
        attempt.failure = type(exc).__name__


def group_alive(pgid: int) -> bool:
    """A process of the group still runs (zombies, not yet reaped by their parent, do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def stop_node_a(args, load: Load, t0: float) -> None:
    time.sleep(args.stop_after)
    pid = int(Path(args.pid_a).read_text())
    load.stop_sent = time.monotonic()
    if args.stop_signal == "KILL":
        os.killpg(pid, signal.SIGKILL)  # the master and its workers at once: a crash
    else:
        os.kill(pid, signal.SIGTERM)  # the master: stop accepting, finish what runs, exit
    step(f"node A (pid {pid}) dihentikan dengan SIG{args.stop_signal} pada detik {load.stop_sent - t0:.1f} beban")
    until = time.time() + 40
    while time.time() < until:
        if not group_alive(pid):
            load.node_a_gone = time.monotonic()
            step(f"node A dan semua worker-nya berakhir {load.node_a_gone - load.stop_sent:.2f} s setelah sinyal")
            return
        time.sleep(0.02)
    fail("node A still runs 40 s after the signal")


def run_load(args, run: str) -> Load:
    url = f"{args.lb}/isi/{UNIT}/"
    step(f"beban: {args.threads} klien x {args.load_seconds} s mengisi kuesioner lewat penyeimbang beban")
    first = Site(args.ca).get(url)
    if first.status_code != 200:
        fail(f"questionnaire: {first.status_code}")
    parser = FormFields()
    parser.feed(first.text)
    base = {k: v for k, v in parser.fields.items() if k not in ("token", "csrfmiddlewaretoken")}
    if not {"u1", "u9", "saran"} <= set(base):
        fail(f"questionnaire fields: {sorted(base)}")
    load = Load()
    t0 = time.monotonic()
    end = t0 + args.load_seconds

    def client(n: int) -> None:
        site = Site(args.ca)
        seq = 0
        while time.monotonic() < end:
            seq += 1
            one_answer(site, url, base, f"dua-node {run} k{n:02d} #{seq:04d}", load)

    stopper = threading.Thread(target=stop_node_a, args=(args, load, t0))
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.threads)]
    for t in [stopper, *threads]:
        t.start()
    for t in [stopper, *threads]:
        t.join()
    return load


def resubmit_failed(load: Load, url: str) -> dict[str, int]:
    """Send every failed POST once more, the same form (same one-time token), as a
    respondent does after an error page: stored now (302) if the first one was not,
    "already received" (409) if it was; never a second row."""
    outcomes: dict[str, int] = {}
    for attempt in load.attempts:
        if attempt.accepted or attempt.site is None or attempt.data is None:
            continue
        try:
            status = str(attempt.site.post(url, attempt.data).status_code)
        except requests.RequestException as exc:
            status = type(exc).__name__
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes


def count_stored(db: psycopg.Connection, run: str) -> dict[str, int]:
    with db.cursor() as cur:
        cur.execute(
            "SELECT suggestion, count(*) FROM surveys_response WHERE suggestion LIKE %s GROUP BY suggestion",
            [f"dua-node {run} %"],
        )
        return dict(cur.fetchall())


def replica_count(url: str, run: str, want: int) -> int:
    """The same markers on the streaming replica, once it caught up (at most 15 s)."""
    until = time.time() + 15
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            got = conn.execute(
                "SELECT count(*) FROM surveys_response WHERE suggestion LIKE %s", [f"dua-node {run} %"]
            ).fetchone()[0]
            if got == want or time.time() > until:
                return got
            time.sleep(0.5)


def load_figures(args, load: Load, stored: dict[str, int]) -> dict:
    gone = load.node_a_gone or load.stop_sent
    after = [r for r in load.requests if r.started >= gone + args.grace]
    # Finished before the signal / in flight at it or started before node A was gone (+ grace).
    before = [r for r in load.requests if r.ended < load.stop_sent]
    window = [r for r in load.requests if r.ended >= load.stop_sent and r.started < gone + args.grace]
    accepted = {a.marker for a in load.attempts if a.accepted}
    failed = [a for a in load.attempts if not a.accepted]
    return {
        "stop_signal": args.stop_signal,
        "attempts": len(load.attempts),
        "accepted": len(accepted),
        "stored": sum(stored.values()),
        "lost": len(accepted - set(stored)),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "stored_unaccepted": len(set(stored) - accepted),
        "acknowledged_409": sum(1 for a in load.attempts if a.acknowledged),
        "failed": len(failed),
        "failed_but_stored": sum(1 for a in failed if a.marker in stored),
        "failures": sorted({a.failure for a in failed}),
        "node_a_exit_s": round(gone - load.stop_sent, 2),
        "requests": len(load.requests),
        "requests_failed_around_stop": sum(1 for r in window if not r.ok),
        "after_stop": len(after),
        "after_stop_ok": sum(1 for r in after if r.ok),
        "after_stop_by_b": sum(1 for r in after if r.ok and r.node == args.addr_b),
        "before_stop_by_a": sum(1 for r in before if r.node == args.addr_a),
        "before_stop_by_b": sum(1 for r in before if r.node == args.addr_b),
        "before_stop_failed": sum(1 for r in before if not r.ok),
    }


def check_figures(figures: dict) -> list[str]:
    problems = []
    if figures["lost"]:
        problems.append(f"{figures['lost']} accepted answers not stored")
    if figures["duplicated"]:
        problems.append(f"{figures['duplicated']} answers stored more than once")
    if figures["stored_unaccepted"] != figures["failed_but_stored"]:
        problems.append("stored markers nobody posted")
    if figures["posted_not_stored_once"] or set(figures["resubmitted"]) - {"302", "409"}:
        problems.append(
            f"after sending the failed forms again: {figures['posted_not_stored_once']} posted answers "
            f"not stored exactly once ({figures['resubmitted']})"
        )
    if figures["stop_signal"] == "TERM" and figures["failed"]:
        problems.append(f"{figures['failed']} answers failed although node A stopped gracefully")
    if figures["before_stop_failed"]:
        problems.append(f"{figures['before_stop_failed']} requests failed before node A was stopped")
    if figures["after_stop"] == 0:
        problems.append("no request started after node A stopped")
    if figures["after_stop_by_b"] != figures["after_stop"]:
        problems.append(
            f"after node A stopped: {figures['after_stop'] - figures['after_stop_by_b']} of "
            f"{figures['after_stop']} requests not served by node B"
        )
    if not figures["before_stop_by_a"] or not figures["before_stop_by_b"]:
        problems.append("before the stop the balancer did not use both nodes")
    if figures["accepted"] < figures["attempts"] // 2:
        problems.append("fewer than half the answers accepted")
    return problems


def flow(args) -> None:
    site = Site(args.ca)
    run = f"{int(time.time())}"
    with psycopg.connect(args.db, autocommit=True) as db:
        login(site, args.lb, args.password)
        if args.replica_db:
            public_page_from_replica(args.lb, args.ca, args.replica_db)
        photo_across_nodes(site, args, db, run)
    import_by_worker(site, args.lb, run)
    report_by_worker(site, args.lb)


def load(args) -> None:
    run = f"{int(time.time())}-{args.stop_signal}"
    result = run_load(args, run)
    time.sleep(1)  # nothing is in flight any more; the count is final
    with psycopg.connect(args.db, autocommit=True) as db:
        stored = count_stored(db, run)
    figures = load_figures(args, result, stored)
    resent = resubmit_failed(result, f"{args.lb}/isi/{UNIT}/")
    with psycopg.connect(args.db, autocommit=True) as db:
        final = count_stored(db, run)
    posted = {a.marker for a in result.attempts if a.data is not None}
    figures["resubmitted"] = resent
    figures["stored_after_resubmit"] = sum(final.values())
    figures["posted_not_stored_once"] = sum(1 for m in posted if final.get(m) != 1)
    if args.replica_db:
        figures["stored_on_replica"] = replica_count(args.replica_db, run, figures["stored_after_resubmit"])
    Path(args.summary).write_text(json.dumps(figures, indent=1))
    print("    " + json.dumps(figures), flush=True)
    problems = check_figures(figures)
    if args.replica_db and figures["stored_on_replica"] != figures["stored_after_resubmit"]:
        problems.append(
            f"replica has {figures['stored_on_replica']} of {figures['stored_after_resubmit']} answers after 15 s"
        )
    if problems:
        fail("; ".join(problems))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["flow", "load"], help="flow: steps 1-4; load: step 5")
    p.add_argument("--lb", required=True, help="https://host:port of the balancer")
    p.add_argument("--node-a", required=True, help="https://host:port of nginx's route to node A only")
    p.add_argument("--node-b", required=True, help="https://host:port of nginx's route to node B only")
    p.add_argument("--addr-a", required=True, help="node A's gunicorn address, as nginx's $upstream_addr")
    p.add_argument("--addr-b", required=True)
    p.add_argument("--ca", required=True, help="the self-signed certificate")
    p.add_argument("--password", default="", help="the demo users' password")
    p.add_argument("--db", required=True, help="the primary, to count what was stored")
    p.add_argument("--replica-db", default="", help="the streaming replica")
    p.add_argument("--s3-endpoint", default="")
    p.add_argument("--s3-key", default="")
    p.add_argument("--s3-secret", default="")
    p.add_argument("--bucket", default="")
    p.add_argument("--media-a", default="")
    p.add_argument("--media-b", default="")
    p.add_argument("--pid-a", default="", help="pid file of node A's gunicorn master")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--load-seconds", type=float, default=15)
    p.add_argument("--stop-after", type=float, default=5)
    p.add_argument("--stop-signal", choices=["TERM", "KILL"], default="TERM")
    p.add_argument("--grace", type=float, default=1, help="seconds after node A is gone before errors count")
    p.add_argument("--summary", default="", help="write the load's figures here (JSON)")
    args = p.parse_args()
    if args.what == "flow":
        flow(args)
    else:
        load(args)


if __name__ == "__main__":
    main()
