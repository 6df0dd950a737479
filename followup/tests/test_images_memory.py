"""A small file that decodes into hundreds of MB is refused from its header.

A 300 KB PNG of 6000 x 6000 pixels at 16 bits per channel (RGBA) is under the
40 MP limit but holds 288 MB of samples: decoding it took 33-36 s and left a
sync web worker at 749 MB. It is refused before any pixel is decoded, as an
evidence photo and as a unit logo; nothing is saved.
"""

import struct
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import ImageFile

from followup.images import process_photo
from followup.models import EvidencePhoto
from skm.rules.images import decoded_bytes, png_bit_depth

from .conftest import image_bytes, upload

MESSAGE = (
    "Gambar terlalu berat untuk diproses: 6000 x 6000 piksel, 16 bit per warna, membutuhkan 274,7 MB memori "
    "setelah dibuka (batas 100,0 MB). Simpan ulang sebagai JPEG atau perkecil ukuran gambar."
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png16_rgba(width: int = 6000, height: int = 6000) -> bytes:
    """A valid, uniform 16-bit RGBA PNG, written with zlib row by row (cheap to build)."""
    row = b"\x00" + b"\x12\x34\x56\x78\x9a\xbc\xff\xff" * width
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def heavy_png() -> bytes:
    data = png16_rgba()
    assert len(data) < 600 * 1024  # a small upload, under every byte limit
    return data


@pytest.fixture
def never_decoded():
    """Fail the test if Pillow decodes any pixel."""
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("pixels decoded")) as load:
        yield load


def test_rule_reads_the_bit_depth_from_the_header(heavy_png):
    assert png_bit_depth(heavy_png) == 16
    assert png_bit_depth(image_bytes("JPEG")) is None
    assert decoded_bytes(width=6000, height=6000, channels=4, bits_per_sample=16) == 288_000_000
    assert decoded_bytes(width=10, height=10, channels=1, bits_per_sample=1) == 100


def test_sixteen_bit_png_is_refused_without_decoding(heavy_png, never_decoded):
    with pytest.raises(ValidationError) as exc:
        process_photo(upload("bukti.png", heavy_png, "image/png"))
    assert exc.value.messages == [MESSAGE]
    assert exc.value.code == "too_much_memory"
    never_decoded.assert_not_called()


def test_as_an_evidence_photo(client, plan, items, alice, heavy_png, never_decoded):
    client.force_login(alice)
    response = client.post(
        reverse("followup:photo_upload", args=[items[0].pk]),
        {"caption": "Rapat", "image": upload("bukti.png", heavy_png, "image/png")},
    )
    assert response.status_code == 400
    assert "Gambar terlalu berat untuk diproses" in response.content.decode()
    never_decoded.assert_not_called()
    assert not EvidencePhoto.objects.exists()


def test_a_big_jpeg_is_measured_at_its_reduced_decoding_and_accepted(settings):
    """9600 x 4000 RGB = 110 MB of samples, but libjpeg decodes it at 1/2 scale (27.5 MB)."""
    settings.SKM_PHOTO_MAX_DECODED_BYTES = 30 * 1024 * 1024
    out = process_photo(upload("besar.jpg", image_bytes("JPEG", size=(9600, 4000))))
    assert out.size > 0


def test_an_ordinary_photo_still_passes():
    assert process_photo(upload("foto.png", image_bytes("PNG", size=(2000, 1500)))).size > 0
