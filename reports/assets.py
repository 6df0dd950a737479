"""The asset URLs report templates use, without loading WeasyPrint.

``reports.pdf`` (which imports WeasyPrint) resolves these URLs with its fenced
fetcher; the view-models in ``reports.context`` only need to build them, and
they are imported by the URL configuration, so they must stay light.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

ASSET_ORIGIN = "http://skm-assets.invalid"
STATIC_PREFIX = "/static/"  # report templates write /static/reports/report.css
MEDIA_PREFIX = "/media/"  # and /media/<FileField name> for uploaded photos
INLINE_PREFIX = "/inline/"  # and /inline/<sha256>.png for images drawn for this report (charts)

_INLINE: OrderedDict[str, bytes] = OrderedDict()
_INLINE_SIZE = 32  # a report holds two charts; a few reports may be built at once
_INLINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class InlineImage:
    """An image drawn while building a report (a chart): its bytes for Word and the
    URL the PDF's HTML uses, which the fenced fetcher serves from memory."""

    data: bytes
    url: str


def inline_image(data: bytes, *, suffix: str = ".png") -> InlineImage:
    """Keep ``data`` in memory, by content, for the PDF fetcher of this process: a
    report is built and rendered in the same process (the export task, or the
    command). An image evicted before rendering is refused by the fence and left
    out of the PDF, like a chart that failed (the tables carry every number)."""
    name = hashlib.sha256(data).hexdigest() + suffix
    with _INLINE_LOCK:
        _INLINE[name] = data
        _INLINE.move_to_end(name)
        while len(_INLINE) > _INLINE_SIZE:
            _INLINE.popitem(last=False)
    return InlineImage(data=data, url=INLINE_PREFIX + name)


def inline_bytes(name: str) -> bytes | None:
    """The bytes kept under ``name`` (without the prefix), or None."""
    with _INLINE_LOCK:
        return _INLINE.get(name)


def media_asset(name: str) -> str:
    """The URL a report uses for a file stored under MEDIA_ROOT."""
    return MEDIA_PREFIX + name
