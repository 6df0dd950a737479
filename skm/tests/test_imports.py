"""Processes start fast: the URL configuration (loaded by every management
command's system checks, every web worker and every Celery worker) must not
import the heavy libraries; they are imported where they are used."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("weasyprint", "matplotlib", "openpyxl", "pandas", "docx")

PROBE = f"""
import json, sys
import django
django.setup()
import skm.urls
from django.urls import get_resolver
get_resolver().url_patterns  # every app's urls and views
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def _run(code: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "skm.settings.test")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_url_configuration_imports_no_heavy_library():
    assert _run(PROBE) == []


def test_the_probe_would_see_a_heavy_import():
    # The same probe after a view module that needs openpyxl is used: the check can fail.
    code = PROBE.replace("import skm.urls", "import skm.urls\nimport surveys.exports")
    assert "openpyxl" in _run(code)
