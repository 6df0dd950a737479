"""How much memory an uploaded image needs once decoded, read from its header.

Pure: no Django, no Pillow. A 280 KB PNG of 6000 x 6000 pixels at 16 bits per
channel holds 288 MB of samples: the pixel count alone does not bound that.
"""

from __future__ import annotations

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_bit_depth(head: bytes) -> int | None:
    """Bits per sample from a PNG's IHDR (the first chunk), or None if ``head`` is not a PNG."""
    if len(head) >= 26 and head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return head[24]
    return None


def decoded_bytes(*, width: int, height: int, channels: int, bits_per_sample: int = 8) -> int:
    """Bytes of the decoded samples: width x height x channels x bytes per sample
    (a sample under 8 bits still takes a byte once decoded)."""
    return width * height * channels * max(1, -(-bits_per_sample // 8))
