"""HTML -> PDF with WeasyPrint, fenced to the project's own files.

Report templates reference assets as ``/static/...`` and ``/media/...``; they
are resolved against a pseudo origin (``ASSET_ORIGIN``) that never reaches the
network. ``FencedURLFetcher`` serves exactly two roots (static files via the
staticfiles finders, and the evidence photos and unit logos of the default
file storage, read through the storage API: MEDIA_ROOT or an object store),
plus the charts drawn in memory for the report (``/inline/<sha256>.png``,
``assets.inline_image``), and refuses everything else: other hosts,
``file://``, ``data:``, any path that escapes its root, the other stored files
(imports, exports) and a media file larger than ``MEDIA_MAX_BYTES``.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .assets import ASSET_ORIGIN, INLINE_PREFIX, MEDIA_PREFIX, STATIC_PREFIX, inline_bytes, media_asset

__all__ = [
    "ASSET_ORIGIN",
    "PDF_VARIANT",
    "FencedURLFetcher",
    "PdfAttachment",
    "MediaAsset",
    "RefusedURL",
    "media_asset",
    "render_pdf",
    "resolve_asset",
]

# WeasyPrint logs every rendering step at INFO and a warning for each SVG
# presentation property it meets in matplotlib's style attributes; keep errors
# (e.g. a refused or missing image) only.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)


class RefusedURL(ValueError):
    """Raised for any URL outside the project's static and media files."""


def _safe_join(root: Path, relative: str) -> Path:
    """``root/relative`` only if it stays inside root (no ``..``, no symlink escape)."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise RefusedURL("invalid path")
    parts = relative.split("/")
    if any(p in ("..", ".") for p in parts) or relative.startswith("/"):
        raise RefusedURL("path traversal")
    root = root.resolve()
    candidate = (root / relative).resolve()
    if candidate != root and root not in candidate.parents:
        raise RefusedURL("outside root")
    if not candidate.is_file():
        raise RefusedURL("not found")
    return candidate


# The stored files a report may show: evidence photos (followup.models.evidence_upload_to)
# and unit logos (surveys.models.Unit.logo). Import uploads, exports and published
# PDFs are never read by a report.
MEDIA_ALLOWED_PREFIXES = ("rtl-privat/", "unit-logo/")
# Photos are re-encoded to at most 1600 px at upload and logos are bounded by their
# form; anything larger is not a report image and is not read into memory.
MEDIA_MAX_BYTES = 10 * 1024 * 1024


def _local_root(storage) -> Path | None:
    """The directory of a storage on this machine's disk, or None (an object store)."""
    try:
        return Path(storage.path(""))
    except NotImplementedError:
        return None


class MediaAsset:
    """A stored file a report may show, read through the default storage."""

    def __init__(self, storage, name: str):
        self.storage, self.stored_name = storage, name
        self.name = name.rsplit("/", 1)[-1]

    def read_bytes(self) -> bytes:
        try:
            with self.storage.open(self.stored_name, "rb") as fh:
                data = fh.read(MEDIA_MAX_BYTES + 1)
        except Exception as exc:  # missing, or the store unreachable: the image is left out, as on disk
            raise RefusedURL("not found") from exc
        if len(data) > MEDIA_MAX_BYTES:
            raise RefusedURL("too large")
        return data


def _media_asset(relative: str) -> Path | MediaAsset:
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        raise RefusedURL("invalid path")
    if any(p in ("", "..", ".") for p in relative.split("/")):
        raise RefusedURL("path traversal")
    if not relative.startswith(MEDIA_ALLOWED_PREFIXES):
        raise RefusedURL("not a report image")
    root = _local_root(default_storage)
    if root is not None:  # on disk: no symlink may lead out of MEDIA_ROOT
        path = _safe_join(root, relative)
        if path.stat().st_size > MEDIA_MAX_BYTES:
            raise RefusedURL("too large")
        return path
    return MediaAsset(default_storage, relative)  # an object store: a missing object is refused on reading


def resolve_asset(url: str) -> Path | MediaAsset:
    """Map an asset URL to a file of the project (a static file, or a report image in
    the default storage), or raise RefusedURL. Either has ``name`` and ``read_bytes()``."""
    split = urlsplit(url)
    if f"{split.scheme}://{split.netloc}" != ASSET_ORIGIN or split.query:
        raise RefusedURL(f"refused: {url[:80]}")
    path = unquote(split.path)
    # Fixed pseudo paths under the fenced origin, independent of STATIC_URL/MEDIA_URL.
    if path.startswith(STATIC_PREFIX):
        relative = path[len(STATIC_PREFIX) :]
        if (
            not relative
            or any(p in ("", "..", ".") for p in relative.split("/"))
            or "\\" in relative
            or "\x00" in relative
        ):
            raise RefusedURL("path traversal")
        found = finders.find(relative)
        if found:
            return _safe_join(Path(found).parent, Path(found).name)
        return _safe_join(Path(settings.STATIC_ROOT), relative)
    if path.startswith(MEDIA_PREFIX):
        return _media_asset(path[len(MEDIA_PREFIX) :])
    raise RefusedURL(f"refused: {url[:80]}")


def _inline_asset(url: str) -> bytes | None:
    """The bytes of an image drawn for this report (``assets.inline_image``), or None
    if ``url`` is not one; an unknown name is refused."""
    split = urlsplit(url)
    if f"{split.scheme}://{split.netloc}" != ASSET_ORIGIN or not split.path.startswith(INLINE_PREFIX):
        return None
    name = split.path[len(INLINE_PREFIX) :]
    data = inline_bytes(name) if name.endswith(".png") and "/" not in name and not split.query else None
    if data is None:
        raise RefusedURL(f"refused: {url[:80]}")
    return data


class FencedURLFetcher(URLFetcher):
    """Serves only the project's own static and media files; never the network."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("http",), allow_redirects=False, **kwargs)
        self.requested: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        inline = _inline_asset(url)
        if inline is not None:
            return URLFetcherResponse(url, body=inline, headers={"Content-Type": "image/png"})
        asset = resolve_asset(url)
        mime = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=asset.read_bytes(), headers={"Content-Type": mime})


# Archival PDF: PDF/A-3 (ISO 19005-3, level U: every glyph maps to Unicode, so the
# text can be searched and copied), the only PDF/A part that allows embedded
# files of any type (the round's published data, CSV and JSON). Level A would
# claim full accessibility conformance, which WeasyPrint does not guarantee;
# the structure tags are written all the same (``pdf_tags``).
PDF_VARIANT = "pdf/a-3u"

# (file name, bytes, description) of a file embedded in the PDF.
PdfAttachment = tuple[str, bytes, str]


def _attachment(item: PdfAttachment, fetcher: URLFetcher) -> Attachment:
    name, data, description = item
    # From memory only: the fetcher is never asked for anything.
    # "Data": the embedded file is the data the document's figures come from (PDF/A-3 AFRelationship).
    return Attachment(
        file_obj=io.BytesIO(data), name=name, description=description, url_fetcher=fetcher, relationship="Data"
    )


def render_pdf(
    html: str,
    target,
    *,
    fetcher: FencedURLFetcher | None = None,
    title: str | None = None,
    author: str | None = None,
    lang: str = "id",
    attachments: Sequence[PdfAttachment] = (),
    tagged: bool = True,
) -> None:
    """Render HTML (already autoescaped by Django templates) to ``target`` (path or file)
    as a tagged PDF/A-3 (``PDF_VARIANT``), with the document properties ``title``
    and ``author`` (when given; otherwise what the HTML says), the language ``lang``,
    and ``attachments`` embedded as files. ``tagged=False`` leaves out the structure
    tags (still PDF/A-3u): they double the render time of a 1 000-row appendix."""
    fetcher = fetcher or FencedURLFetcher()
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": tagged}
    document = HTML(string=html, base_url=ASSET_ORIGIN + "/", url_fetcher=fetcher).render(**options)
    metadata = document.metadata
    if title:
        metadata.title = title
    if author:
        metadata.authors = [author]
    if lang:
        metadata.lang = lang
    document.write_pdf(target, attachments=[_attachment(a, fetcher) for a in attachments], **options)
