"""HTML -> PDF with WeasyPrint, fenced to the project's own files.

Report templates reference assets as ``/static/...`` and ``/media/...``; they
are resolved against a pseudo origin (``ASSET_ORIGIN``) that never reaches the
network. ``FencedURLFetcher`` serves exactly two roots (static files via the
staticfiles finders, and MEDIA_ROOT), plus the charts drawn in memory for the
report (``/inline/<sha256>.png``, ``assets.inline_image``), and refuses
everything else: other hosts, ``file://``, ``data:``, and any path that escapes
its root.
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
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .assets import ASSET_ORIGIN, INLINE_PREFIX, MEDIA_PREFIX, STATIC_PREFIX, inline_bytes, media_asset

__all__ = [
    "ASSET_ORIGIN",
    "PDF_VARIANT",
    "FencedURLFetcher",
    "PdfAttachment",
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


def resolve_asset(url: str) -> Path:
    """Map an asset URL to a file of the project, or raise RefusedURL."""
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
        return _safe_join(Path(settings.MEDIA_ROOT), path[len(MEDIA_PREFIX) :])
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
        path = resolve_asset(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


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
