"""The deployment files under deploy/: nginx accepts the site, systemd accepts
the units, and they say what the README promises (dedicated user, prefork
worker with limits, beat schedule under the state directory, upload size)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "skm.conf"
WORKERS = {
    "skm-worker": "celery",
    "skm-worker-exports": "exports",
    "skm-worker-reports": "reports",
    "skm-worker-imports": "imports",
}
UNITS = {name: DEPLOY / "systemd" / f"{name}.service" for name in ("skm-web", *WORKERS, "skm-beat")}
ENV_EXAMPLE = DEPLOY / ".env.example"

needs_nginx = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=skm.example.go.id",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _nginx_test(tmp_path: Path, site_text: str) -> subprocess.CompletedProcess:
    """nginx -t on the site wrapped in a minimal nginx.conf, with a throwaway certificate."""
    cert, key = _self_signed(tmp_path)
    site = tmp_path / "skm.conf"
    site.write_text(
        site_text.replace("/etc/ssl/skm/fullchain.pem", str(cert)).replace("/etc/ssl/skm/privkey.pem", str(key))
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    access_log off;\n    include {site};\n}}\n")
    return subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    result = _nginx_test(tmp_path, SITE.read_text())
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
def test_nginx_check_catches_a_broken_site(tmp_path):
    broken = SITE.read_text().replace("client_max_body_size 21m;", "client_max_body_size 21m")
    result = _nginx_test(tmp_path, broken)
    assert result.returncode != 0


def _directives(text: str) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def test_nginx_sets_the_headers_django_trusts_and_never_serves_media():
    lines = _directives(SITE.read_text())
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in lines
    assert "proxy_set_header X-Real-IP $remote_addr;" in lines
    assert "return 301 https://$host$request_uri;" in lines
    assert "alias /var/lib/skm/static/;" in lines
    # Photos and exports are served only through views that check access.
    assert not any("/media" in line for line in lines)
    assert not any(line.startswith("autoindex") for line in lines)


def test_nginx_upload_limit_fits_the_largest_upload_the_app_accepts():
    (size,) = re.findall(r"^\s*client_max_body_size (\d+)m;", SITE.read_text(), re.M)
    limit = int(size) * 1024 * 1024
    largest = max(settings.SKM_IMPORT_MAX_BYTES, settings.SKM_PHOTO_MAX_BYTES)
    # Room for the multipart envelope, but not a second, larger limit.
    assert largest < limit <= largest + 2 * 1024 * 1024


def _service_section(path: Path) -> dict[str, list[str]]:
    """[Service] keys of a unit file, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    section, keys = None, {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys.setdefault(key, []).append(value)
    return keys


@pytest.mark.parametrize("name", UNITS)
def test_units_run_as_the_dedicated_user_with_the_environment_file(name):
    keys = _service_section(UNITS[name])
    assert keys["User"] == ["skm"] and keys["Group"] == ["skm"]
    assert keys["EnvironmentFile"] == ["/etc/skm/skm.env"]
    assert keys["StateDirectory"] == ["skm"]
    assert keys["NoNewPrivileges"] == ["yes"]
    assert keys["ExecStart"][0].startswith("/srv/skm/.venv/bin/")


def test_web_unit_runs_gunicorn_on_loopback_without_control_socket():
    (cmd,) = _service_section(UNITS["skm-web"])["ExecStart"]
    assert "--no-control-socket" in cmd.split()
    assert "--bind 127.0.0.1:8000" in cmd
    # The port nginx proxies to.
    assert "server 127.0.0.1:8000;" in _directives(SITE.read_text())


# Per worker unit: the child's memory limit (KiB) and the unit's hard ceiling.
WORKER_LIMITS = {
    "skm-worker": (256 * 1024, "1G"),
    "skm-worker-exports": (1024 * 1024, "3G"),
    "skm-worker-reports": (1536 * 1024, "3G"),
    "skm-worker-imports": (1536 * 1024, "3G"),
}


@pytest.mark.parametrize("name", WORKERS)
def test_each_worker_unit_serves_its_queue_with_prefork_and_limits(name):
    (cmd,) = _service_section(UNITS[name])["ExecStart"]
    args = cmd.split()
    assert args[args.index("--queues") + 1] == WORKERS[name]
    # Distinct node names on one host; "%%" is systemd's escape for Celery's "%h".
    assert (
        args[args.index("--hostname") + 1]
        == f"{name.removeprefix('skm-worker-') if name != 'skm-worker' else 'small'}@%%h"
    )
    assert args[args.index("--pool") + 1] == "prefork"
    child_kib, ceiling = WORKER_LIMITS[name]
    assert int(args[args.index("--max-memory-per-child") + 1]) == child_kib
    assert int(args[args.index("--max-tasks-per-child") + 1]) == 50
    keys = _service_section(UNITS[name])
    assert keys["MemoryMax"] == [ceiling]


def test_the_worker_units_cover_every_queue_and_route():
    from skm.queues import ALL_QUEUES

    assert sorted(WORKERS.values()) == sorted(ALL_QUEUES)
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= set(ALL_QUEUES) and settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


@pytest.mark.parametrize("name", ["skm-worker-exports", "skm-worker-reports", "skm-worker-imports"])
def test_a_warm_shutdown_may_wait_for_a_running_job(name):
    keys = _service_section(UNITS[name])
    assert int(keys["TimeoutStopSec"][0]) >= settings.SKM_EXPORT_TIME_LIMIT + 30


def test_beat_keeps_its_schedule_under_the_state_directory():
    (cmd,) = _service_section(UNITS["skm-beat"])["ExecStart"]
    args = cmd.split()
    assert args[args.index("--schedule") + 1] == "/var/lib/skm/celerybeat-schedule"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify, with /srv/skm pointing at this checkout so the binaries exist."""
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("no .venv with gunicorn in this checkout")
    copies = []
    for name, path in UNITS.items():
        copy = tmp_path / f"{name}.service"
        copy.write_text(path.read_text().replace("/srv/skm", str(ROOT)))
        copies.append(str(copy))
    result = subprocess.run(["systemd-analyze", "verify", *copies], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # Unknown keys are only warned about: none allowed.
    assert result.stderr.strip() == "", result.stderr


SETTINGS_READ_IN_PRODUCTION = ("base.py", "production.py")


def _env_variables_read_by_settings() -> set[str]:
    names = set()
    for filename in SETTINGS_READ_IN_PRODUCTION:
        path = ROOT / "skm" / "settings" / filename
        if path.exists():
            names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text()))
    return names


def test_env_example_documents_every_variable_the_settings_read():
    text = ENV_EXAMPLE.read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.M))
    read = _env_variables_read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= read
    assert read - documented == set()
    # Every active line is VAR=value: systemd's EnvironmentFile and deploy/skm-manage both read it.
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\"' ][^\"']*", line), line


def test_readme_settings_table_lists_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    table = table[: table.index("\n## ", 1)]
    missing = {name for name in _env_variables_read_by_settings() if f"`{name}`" not in table}
    assert missing == set()


def test_static_storage_for_nginx_writes_gzip_only_and_skips_source_maps():
    from skm.storage import GzipManifestStaticFilesStorage

    compressor = GzipManifestStaticFilesStorage().create_compressor(extensions=None, quiet=True)
    assert compressor.use_gzip and not compressor.use_brotli
    assert compressor.should_compress("css/skm.0123456789ab.css")
    assert compressor.should_compress("bootstrap/js/bootstrap.bundle.min.js")
    assert not compressor.should_compress("bootstrap/css/bootstrap.min.css.map")
    assert not compressor.should_compress("img/logo.png")


def test_nginx_passes_the_host_with_its_port():
    """$host drops a non-standard port (https://host:8443/): Django's redirects,
    its CSRF origin check and the password-reset links then point elsewhere."""
    lines = _directives(SITE.read_text())
    assert "proxy_set_header Host $http_host;" in lines
    assert "proxy_set_header Host $host;" not in lines
