"""Validation and re-encoding of documentation photos.

The type is read from the content with Pillow, never from the file name or
the browser's content type. Dimensions are checked from the header before the
pixels are decoded, so a decompression bomb is refused without allocating it.
The stored file is always a fresh JPEG: orientation applied, downscaled, and
without EXIF (no GPS positions or camera serials leak into reports).
"""

from __future__ import annotations

import io
import warnings
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from skm.rules.formatting import format_number

ALLOWED_FORMATS = {"JPEG", "PNG"}
JPEG_QUALITY = 85


def _mb(n: int) -> str:
    return format_number(Fraction(n, 1024 * 1024), 1)


def process_photo(upload) -> ContentFile:
    """Return a re-encoded JPEG of ``upload`` or raise ValidationError (Indonesian)."""
    _check_size(upload)
    image = _open_checked(upload)
    return _reencode(image)


def _check_size(upload) -> None:
    max_bytes = settings.SKM_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        raise ValidationError(_("Berkas foto tidak terbaca."), code="unreadable")
    if size == 0:
        raise ValidationError(_("Berkas foto kosong."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Ukuran berkas %(size)s MB melebihi batas %(max)s MB.") % {"size": _mb(size), "max": _mb(max_bytes)},
            code="too_large",
        )


def _open_checked(upload) -> Image.Image:
    """Open the image lazily (header only) and check its format and pixel count."""
    max_pixels = settings.SKM_PHOTO_MAX_PIXELS
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (then errors) on huge images; treat both as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Gambar terlalu besar (melebihi %(max)s megapiksel).") % {"max": max_pixels // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _("Berkas bukan gambar JPEG atau PNG yang valid. Unggah foto berformat JPEG atau PNG."),
            code="not_image",
        ) from None

    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Format %(format)s tidak diterima. Unggah foto berformat JPEG atau PNG.")
            % {"format": image_format or "?"},
            code="bad_format",
        )
    if width * height > max_pixels:
        raise ValidationError(
            _("Gambar terlalu besar: %(w)s x %(h)s piksel (batas %(max)s megapiksel).")
            % {"w": width, "h": height, "max": max_pixels // 1_000_000},
            code="too_many_pixels",
        )
    return image


def _reencode(image: Image.Image) -> ContentFile:
    """Decode (reduced for big JPEGs), orient, flatten, downscale and save as JPEG without metadata."""
    max_side = settings.SKM_PHOTO_MAX_SIDE
    try:
        if image.format == "JPEG":
            # Let libjpeg decode at a reduced scale: less memory for big photos.
            image.draft("RGB", (max_side * 2, max_side * 2))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # No exif= argument: the re-encoded file carries no metadata.
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar terlalu besar."), code="too_many_pixels") from None
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(_("Berkas gambar rusak atau terpotong."), code="corrupt") from None
    return ContentFile(out.getvalue(), name="foto.jpg")
