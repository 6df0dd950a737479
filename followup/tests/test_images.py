"""Upload validation: type from content, size and pixel limits, re-encoding, EXIF stripped."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from followup.images import process_photo

from .conftest import image_bytes, upload


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height, with a tiny (invalid) body: no pixels allocated."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_png_renamed_jpg_is_accepted_and_reencoded_as_jpeg():
    result = process_photo(upload("foto.jpg", image_bytes("PNG")))
    img = Image.open(io.BytesIO(result.read()))
    assert img.format == "JPEG"
    assert img.size == (64, 48)


def test_svg_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("gambar.svg", svg, "image/svg+xml"))
    assert "JPEG atau PNG" in _messages(exc)


def test_text_renamed_jpg_is_refused():
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("foto.jpg", b"ini bukan gambar, hanya teks biasa\n" * 20))
    assert "bukan gambar JPEG atau PNG" in _messages(exc)


def test_gif_is_refused_by_content():
    buf = io.BytesIO()
    Image.new("P", (8, 8)).save(buf, format="GIF")
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("foto.png", buf.getvalue()))
    assert "Format GIF tidak diterima" in _messages(exc)


def test_fifty_megapixel_image_is_refused_before_decoding():
    # 10000 x 5000 = 50 MP claimed in the header; the body is a few bytes.
    data = _png_header_only(10000, 5000)
    assert len(data) < 200
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("besar.png", data, "image/png"))
    assert "megapiksel" in _messages(exc)


def test_decompression_bomb_header_is_refused(settings):
    settings.SKM_PHOTO_MAX_PIXELS = 10**12  # only Pillow's own bomb guard is left
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("bom.png", _png_header_only(60000, 60000), "image/png"))
    assert "terlalu besar" in _messages(exc)


def test_thirty_megabyte_file_is_refused():
    data = image_bytes("PNG") + b"\x00" * (30 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("besar.jpg", data))
    assert "melebihi batas 10,0 MB" in _messages(exc)


def test_truncated_image_is_refused():
    data = image_bytes("JPEG", size=(400, 300))[:300]
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("rusak.jpg", data))
    assert "rusak" in _messages(exc) or "bukan gambar" in _messages(exc)


def test_downscaled_and_exif_stripped_with_orientation_applied(settings):
    settings.SKM_PHOTO_MAX_SIDE = 100
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    exif[0x010F] = "KameraRahasia"  # Make
    data = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    assert b"KameraRahasia" in data
    out = process_photo(upload("foto.jpeg", data)).read()
    img = Image.open(io.BytesIO(out))
    assert img.size == (50, 100)  # rotated to portrait, then longest side 100
    assert b"KameraRahasia" not in out
    assert not img.getexif()


def test_transparent_png_flattened_on_white():
    buf = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buf, format="PNG")
    img = Image.open(io.BytesIO(process_photo(upload("t.png", buf.getvalue())).read()))
    assert img.mode == "RGB"
    r, g, b = img.getpixel((5, 5))
    assert min(r, g, b) > 240
