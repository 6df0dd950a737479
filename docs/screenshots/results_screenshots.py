"""Regenerate results.png, compare.png and public.png (headless Chromium, 1280 wide).

    .venv/bin/python docs/screenshots/results_screenshots.py

Uses a throw-away PostgreSQL database ``skm_shots_results`` filled by
``skm_demo`` and a dev server on 127.0.0.1:8776; both are removed at the end.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
DB = "skm_shots_results"
PORT = 8776
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://skm:skm@127.0.0.1:5432/postgres")


def admin_exec(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    admin_exec(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    admin_exec(f"CREATE DATABASE {DB}")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="skm.settings.local",
        DATABASE_URL=urlunparse(urlparse(ADMIN_URL)._replace(path="/" + DB)),
        DEBUG="True",
        MPLCONFIGDIR="/tmp/skm-mpl",
        SKM_DEMO_PASSWORD="layar-demo-2024",
    )
    py = sys.executable
    server = None
    try:
        subprocess.run([py, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "manage.py", "skm_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [py, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(4)
        shoot(f"http://127.0.0.1:{PORT}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        admin_exec(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    return 0


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/publik/pulutan/hasil/")
        page.screenshot(path=str(OUT / "public.png"), full_page=True)
        page.goto(f"{base}/masuk/")
        page.fill("input[name=username]", "supervisor")
        page.fill("input[name=password]", "layar-demo-2024")
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/hasil/pulutan/2024-S2/?bobot=0.111")
        page.screenshot(path=str(OUT / "results.png"), full_page=True)
        page.goto(f"{base}/hasil/sidorejo-lor/2024-S2/")
        page.screenshot(path=str(OUT / "results-services.png"), full_page=True)
        page.goto(f"{base}/hasil/perbandingan/?periode=2024-S2")
        page.screenshot(path=str(OUT / "compare.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
