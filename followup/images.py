"""Validation and re-encoding of documentation photos.

The type is read from the content with Pillow, never from the file name or
the browser's content type. Dimensions are checked from the header before the
pixels are decoded, so a decompression bomb is refused without allocating it;
so is the decoded size in bytes (a 16-bit PNG holds 8 bytes a pixel), after a
big JPEG has been told to decode at a reduced scale. The full-size pixels are
held once: converted to RGB, then downscaled, then turned upright.
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
from PIL import Image, UnidentifiedImageError

from skm.rules.formatting import format_number
from skm.rules.images import decoded_bytes, png_bit_depth

ALLOWED_FORMATS = {"JPEG", "PNG"}
JPEG_QUALITY = 85
# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _mb(n: int) -> str:
    return format_number(Fraction(n, 1024 * 1024), 1)


def process_photo(upload) -> ContentFile:
    """Return a re-encoded JPEG of ``upload`` or raise ValidationError (Indonesian)."""
    _check_size(upload)
    return _reencode(upload)


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
    _check_decoded_size(image, upload)
    return image


def _check_decoded_size(image: Image.Image, upload) -> None:
    """Refuse, from the header alone, an image whose decoded samples pass the budget."""
    if image.format == "JPEG":
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale: only that size is ever allocated.
        # Ask, as Image.thumbnail does, for twice the final size in both directions.
        width, height = image.size
        k = min(1.0, 2 * settings.SKM_PHOTO_MAX_SIDE / max(width, height))
        image.draft("RGB", (max(1, int(width * k)), max(1, int(height * k))))
        bits = 8
    else:
        position = upload.tell()
        upload.seek(0)
        bits = png_bit_depth(upload.read(32)) or 8
        upload.seek(position)
    width, height = image.size
    needed = decoded_bytes(width=width, height=height, channels=len(image.getbands()), bits_per_sample=bits)
    budget = settings.SKM_PHOTO_MAX_DECODED_BYTES
    if needed > budget:
        raise ValidationError(
            _(
                "Gambar terlalu berat untuk diproses: %(w)s x %(h)s piksel, %(bits)s bit per warna, "
                "membutuhkan %(size)s MB memori setelah dibuka (batas %(max)s MB). "
                "Simpan ulang sebagai JPEG atau perkecil ukuran gambar."
            )
            % {"w": width, "h": height, "bits": bits, "size": _mb(needed), "max": _mb(budget)},
            code="too_much_memory",
        )


def _reencode(upload) -> ContentFile:
    """Decode (reduced for big JPEGs, see _check_decoded_size), flatten, downscale,
    orient and save as JPEG without metadata. Each step drops the previous
    full-size image, so at most two are alive at once (a transparent one on white)."""
    max_side = settings.SKM_PHOTO_MAX_SIDE
    # Opened here, not by the caller: no other frame keeps the full-size image alive.
    image = _open_checked(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        orientation = image.getexif().get(0x0112)
        if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image if image.mode == "RGBA" else image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
            del rgba
        elif image.mode != "RGB":
            image = image.convert("RGB")
        # Downscaling commutes with the orientation (the bound is on the longest side).
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if orientation in _ORIENTATION:
            image = image.transpose(_ORIENTATION[orientation])
        out = io.BytesIO()
        # No exif= argument: the re-encoded file carries no metadata.
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar terlalu besar."), code="too_many_pixels") from None
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(_("Berkas gambar rusak atau terpotong."), code="corrupt") from None
    return ContentFile(out.getvalue(), name="foto.jpg")
