"""Files in an S3-compatible object store (issue 21, "Stateless nodes"; README "Files").

``STORAGES["default"]`` is switched to a private bucket on moto's S3 server
(``s3_storage`` in the root conftest: real HTTP on 127.0.0.1, real boto3 and
django-storages), then the real services and views run: evidence photos, the
unit logo in a PDF, an import upload read back by the worker function, an
export written and downloaded. Nothing may land on the local disk, nothing is
readable without the keys, and every download goes through a view that checks
access.
"""

import io
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from conftest import PASSWORD
from followup.models import EvidencePhoto, PlanItem
from reports.models import ExportJob
from reports.pdf import ASSET_ORIGIN, FencedURLFetcher, RefusedURL
from reports.services import report_docx_write, report_pdf_write
from reports.tests.conftest import build_plan
from surveys.models import ImportJob, Response
from surveys.services import import_job_create, import_job_run

PREFIX = "media/"


def keys(s3_client, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in s3_client.list_objects_v2(Bucket=bucket).get("Contents", []))


def local_files() -> list[Path]:
    """Files written under MEDIA_ROOT on this machine (there must be none)."""
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def png(size=(120, 80), colour=(11, 83, 148)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def test_the_settings_fixture_switches_the_default_storage_and_back(settings):
    from skm.settings.base import s3_storage as s3_entry

    assert not isinstance(default_storage, S3Storage)
    old = settings.STORAGES
    settings.STORAGES = {**old, "default": s3_entry(bucket="b", access_key="k", secret_key="s", prefix="media")}
    assert isinstance(default_storage, S3Storage)
    assert default_storage.location == "media" and default_storage.default_acl is None
    assert default_storage.querystring_auth is True and default_storage.querystring_expire == 300
    assert default_storage.file_overwrite is False
    settings.STORAGES = old
    assert not isinstance(default_storage, S3Storage)


def test_a_large_object_is_read_through_a_temporary_file_not_memory(s3_storage):
    """A download or an import reads the object into a spooled file: past 5 MB it is
    on disk (django-storages would otherwise keep the whole object in memory)."""
    small = default_storage.save("exports/kecil.bin", io.BytesIO(b"x" * 1024))
    large = default_storage.save("exports/besar.bin", io.BytesIO(b"y" * (6 * 1024 * 1024)))
    with default_storage.open(small, "rb") as fh:
        assert fh.read(4) == b"xxxx" and not fh.file._rolled
    with default_storage.open(large, "rb") as fh:
        assert fh.read(4) == b"yyyy" and fh.file._rolled
    assert default_storage.size(large) == 6 * 1024 * 1024
    default_storage.delete(small)
    default_storage.delete(large)
    assert not default_storage.exists(large)


@pytest.mark.django_db
def test_an_evidence_photo_is_a_private_object_served_only_through_the_view(
    client, s3_storage, s3_client, s3_server, unit, period, alice, charlie, django_capture_on_commit_callbacks
):
    plan = build_plan(unit, period, photos=0)
    item = PlanItem.objects.filter(plan_unsur__plan=plan).order_by("plan_unsur__order", "order").first()
    client.login(username=alice.username, password=PASSWORD)
    upload = SimpleUploadedFile("foto.png", png((640, 480)), content_type="image/png")
    r = client.post(reverse("followup:photo_upload", args=[item.pk]), {"caption": "Rapat", "image": upload})
    assert r.status_code == 302
    photo = EvidencePhoto.objects.get()
    key = PREFIX + photo.image.name
    assert photo.image.name.startswith("rtl-privat/") and keys(s3_client, s3_storage) == [key]
    assert local_files() == []
    # Private: the object's plain address answers nobody without the keys, and no
    # ACL grants anyone anything (a public-read object on the same server would be served).
    assert anonymous_get(f"{s3_server}/{s3_storage}/{key}") == 403
    grants = s3_client.get_object_acl(Bucket=s3_storage, Key=key)["Grants"]
    assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants), grants
    s3_client.put_object(Bucket=s3_storage, Key="media/public-control.txt", Body=b"x", ACL="public-read")
    assert anonymous_get(f"{s3_server}/{s3_storage}/media/public-control.txt") == 200
    s3_client.delete_object(Bucket=s3_storage, Key="media/public-control.txt")
    # A URL, if one is ever built, is signed and expires in five minutes.
    url = photo.image.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url

    served = client.get(reverse("followup:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content)
    assert body[:3] == b"\xff\xd8\xff"
    assert body == s3_client.get_object(Bucket=s3_storage, Key=key)["Body"].read()
    client.logout()
    client.login(username=charlie.username, password=PASSWORD)
    assert client.get(reverse("followup:photo", args=[photo.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("followup:photo", args=[photo.pk])).status_code == 302  # to the login page

    # Deleting the photo deletes the object (once the deletion is committed).
    client.login(username=alice.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("followup:photo_delete", args=[photo.pk]))
    assert r.status_code == 302 and not EvidencePhoto.objects.exists()
    assert keys(s3_client, s3_storage) == []


@pytest.mark.django_db
def test_the_unit_logo_reaches_the_pdf_from_the_bucket(
    client, s3_storage, s3_client, unit, period, alice, reference_responses, tmp_path
):
    build_plan(unit, period)  # with two evidence photos, saved to the bucket
    client.force_login(alice)
    logo = SimpleUploadedFile("logo.png", png((120, 80)), content_type="image/png")
    data = {
        "aksi": "profil",
        "address": "Jl. Argowiyoto No. 1, Pulutan",
        "city": "Salatiga",
        "phone": "(0298) 314816",
        "website": "pulutan.salatiga.go.id",
        "signatory_name": "Sri Wahyuni, S.Sos",
        "signatory_title": "Lurah Pulutan",
        "signatory_rank": "Penata (III/c)",
        "signatory_nip": "197201182006042002",
        "logo": logo,
    }
    assert client.post("/unit/pulutan/profil/", data).status_code == 302
    unit.refresh_from_db()
    assert unit.logo.name.startswith("unit-logo/") and PREFIX + unit.logo.name in keys(s3_client, s3_storage)

    fetcher = FencedURLFetcher()
    out = tmp_path / "survey.pdf"
    report_pdf_write(kind="pdf_survey", unit=unit, period=period, target=out, fetcher=fetcher)
    assert ASSET_ORIGIN + "/media/" + unit.logo.name in fetcher.requested
    listing = subprocess.run(["pdfimages", "-list", str(out)], check=True, capture_output=True, text=True).stdout
    sizes = [tuple(line.split()[3:5]) for line in listing.splitlines()[2:]]
    assert ("120", "80") in sizes, listing  # the logo itself, read from the bucket
    followup = tmp_path / "followup.pdf"
    fetcher = FencedURLFetcher()
    report_pdf_write(kind="pdf_followup", unit=unit, period=period, target=followup, fetcher=fetcher)
    listing = subprocess.run(["pdfimages", "-list", str(followup)], check=True, capture_output=True, text=True).stdout
    sizes = [tuple(line.split()[3:5]) for line in listing.splitlines()[2:]]
    assert sizes.count(("320", "200")) == 2, listing  # both evidence photos
    # The Word reports embed the same images, read from the bucket too.
    from docx import Document

    for kind, shapes in (("docx_survey", 2), ("docx_followup", 3)):  # logo + chart; logo + two photos
        target = tmp_path / f"{kind}.docx"
        report_docx_write(kind=kind, unit=unit, period=period, target=target)
        assert len(Document(str(target)).inline_shapes) == shapes, kind
    assert local_files() == []

    # The fence holds on the object store too: other stored files, missing ones, traversal.
    default_storage.save("imports/1/secret.upload", io.BytesIO(b"nik,nama\n"))
    for name in ("imports/1/secret.upload", "unit-logo/missing.jpg", "unit-logo/../imports/1/secret.upload"):
        with pytest.raises(RefusedURL):
            FencedURLFetcher().fetch(ASSET_ORIGIN + "/media/" + name)


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["reference_csv", "reference_xlsx"])
def test_an_import_upload_is_stored_then_read_back_by_the_worker_and_removed(
    request, s3_storage, s3_client, unit, period, alice, fixture, django_capture_on_commit_callbacks
):
    reference = request.getfixturevalue(fixture)
    upload = SimpleUploadedFile(reference.name, reference.read_bytes())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # not sent to the worker yet
        job = import_job_create(user=alice, unit=unit, period=period, upload=upload)
    assert callbacks, "the job is enqueued on commit"
    key = PREFIX + job.upload.name
    assert job.upload.name.startswith(f"imports/{unit.pk}/") and keys(s3_client, s3_storage) == [key]
    assert s3_client.get_object(Bucket=s3_storage, Key=key)["Body"].read() == reference.read_bytes()
    assert local_files() == []

    assert import_job_run(job_id=job.pk, attempt=job.attempt) == ImportJob.Status.DONE
    job.refresh_from_db()
    assert job.errors == [] and job.batch.rows == 50
    assert Response.objects.filter(unit=unit, period=period).count() == 50
    assert not job.upload and keys(s3_client, s3_storage) == []


@pytest.mark.django_db
def test_the_web_import_runs_as_a_job_from_the_bucket(
    client, s3_storage, s3_client, unit, period, alice, reference_csv, django_capture_on_commit_callbacks
):
    client.login(username=alice.username, password=PASSWORD)
    data = {"berkas": SimpleUploadedFile("responden.csv", reference_csv.read_bytes()), "periode": str(period.pk)}
    with django_capture_on_commit_callbacks(execute=True):  # the eager worker runs import_job_run
        r = client.post(reverse("surveys:import_upload", args=[unit.code]), data)
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Response.objects.filter(unit=unit, period=period).count() == 50
    assert keys(s3_client, s3_storage) == [] and local_files() == []


@pytest.mark.django_db(transaction=True)
def test_an_export_is_written_to_the_bucket_and_downloaded_through_its_view(
    client, s3_storage, s3_client, unit, period, alice, charlie, reference_responses, settings
):
    build_plan(unit, period)
    settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS = 10  # 50 respondents: the XLSX attachment too
    client.login(username=alice.username, password=PASSWORD)
    r = client.post(
        reverse("reports:export_request", args=[unit.code]),
        {"kind": "pdf_survey", "period": period.code, "weight_mode": "exact"},
    )
    assert r.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.error
    stored = keys(s3_client, s3_storage)
    assert PREFIX + job.result.name in stored and PREFIX + job.attachment.name in stored
    pdf = s3_client.get_object(Bucket=s3_storage, Key=PREFIX + job.result.name)["Body"].read()
    assert pdf.startswith(b"%PDF")
    # Built in scratch files on this machine, then saved to the bucket and removed.
    assert local_files() == []

    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    assert dl.status_code == 200 and "attachment" in dl["Content-Disposition"]
    assert b"".join(dl.streaming_content) == pdf
    xlsx = client.get(reverse("reports:job_download_attachment", args=[job.pk]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    client.logout()
    client.login(username=charlie.username, password=PASSWORD)
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404
    # The sweeper deletes the objects of an expired job.
    from reports.services import export_jobs_sweep

    ExportJob.objects.filter(pk=job.pk).update(finished_at=job.finished_at.replace(year=2000))
    assert export_jobs_sweep()["deleted"] == 1
    assert keys(s3_client, s3_storage) == [k for k in stored if not k.startswith(PREFIX + "exports/")]
