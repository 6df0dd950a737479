"""Regenerate the collection screenshots (headless Chromium): dashboard,
phone questionnaire, paper entry, import and the QR/link page.

    .venv/bin/python docs/screenshots/collection_screenshots.py

Uses a throw-away SQLite database filled by ``skm_demo`` and a dev server
on 127.0.0.1:8810; both are removed at the end.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PORT = 8810
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "layar-demo-2024"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def login(page, username):
    page.goto(f"{BASE}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="skm-shots-")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3",
        DEBUG="True",
        MEDIA_ROOT=f"{tmp}/media",
        MPLCONFIGDIR=f"{tmp}/mpl",
        SKM_DEMO_PASSWORD=PASSWORD,
    )
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "skm_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [py, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{BASE}/masuk/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            phone.goto(f"{BASE}/isi/pulutan/")
            phone.screenshot(path=str(OUT / "questionnaire-phone.png"))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            login(page, "staf")
            page.goto(f"{BASE}/")
            page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)
            page.goto(f"{BASE}/unit/pulutan/entri/")
            # Two paper forms typed on the keyboard only, the second one half done.
            for number, gender, age, answers in (("51", "p", "45", "343343434"), ("52", "l", "38", "44c")):
                page.keyboard.type(number)
                page.keyboard.press("Tab")
                page.keyboard.type(gender)
                page.keyboard.type(age)
                for _ in range(3):
                    page.keyboard.press("Tab")
                page.keyboard.type(answers)
                if number == "51":
                    page.keyboard.type("Antrean sudah lebih tertib")
                    page.keyboard.press("Enter")
                    page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "paper-entry.png"), full_page=True)
            page.goto(f"{BASE}/unit/pulutan/impor/")
            page.screenshot(path=str(OUT / "import.png"), full_page=True)
            page.goto(f"{BASE}/unit/pulutan/tautan/")
            page.screenshot(path=str(OUT / "links-qr.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
