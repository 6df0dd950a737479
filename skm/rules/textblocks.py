"""The unit's own report text: plain paragraphs with simple lists.

Staff write a section as plain text. A blank line separates paragraphs;
lines starting with "- " or "* " make a bulleted list and lines starting with
"1. ", "2) " … a numbered list. There is no markup: the PDF (autoescaped
template) and the DOCX (python-docx runs) print the text as typed, so a
respondent's or staff member's "<b>" stays literal text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class BlockKind(StrEnum):
    PARAGRAPH = "p"
    BULLETS = "ul"
    NUMBERED = "ol"


@dataclass(frozen=True)
class TextBlock:
    kind: BlockKind
    items: tuple[str, ...]  # one item for a paragraph (its lines joined by spaces)

    @property
    def text(self) -> str:
        return " ".join(self.items)


_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
MAX_SECTION_CHARS = 20_000


def _line_kind(line: str) -> tuple[BlockKind, str]:
    if m := _BULLET.match(line):
        return BlockKind.BULLETS, m.group(1).strip()
    if m := _NUMBER.match(line):
        return BlockKind.NUMBERED, m.group(1).strip()
    return BlockKind.PARAGRAPH, line.strip()


def parse_blocks(text: str) -> tuple[TextBlock, ...]:
    """Paragraphs and lists of ``text``, in order. A list item continues on the
    following non-blank lines that are not items themselves."""
    blocks: list[TextBlock] = []
    kind: BlockKind | None = None
    items: list[str] = []

    def flush() -> None:
        nonlocal kind, items
        if kind is not None and items:
            if kind is BlockKind.PARAGRAPH:
                blocks.append(TextBlock(kind, (" ".join(items),)))
            else:
                blocks.append(TextBlock(kind, tuple(items)))
        kind, items = None, []

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            flush()
            continue
        line_kind, content = _line_kind(raw)
        if line_kind is BlockKind.PARAGRAPH:
            if kind in (BlockKind.BULLETS, BlockKind.NUMBERED):
                items[-1] = f"{items[-1]} {content}"  # continuation of the item
            else:
                kind = BlockKind.PARAGRAPH
                items.append(content)
            continue
        if kind is not line_kind:
            flush()
            kind = line_kind
        items.append(content)
    flush()
    return tuple(blocks)


def blocks_to_text(blocks: tuple[TextBlock, ...]) -> str:
    """The plain text that parses back to ``blocks`` (the prefill of an editor)."""
    parts = []
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH:
            parts.append(block.text)
        elif block.kind is BlockKind.BULLETS:
            parts.append("\n".join(f"- {item}" for item in block.items))
        else:
            parts.append("\n".join(f"{i}. {item}" for i, item in enumerate(block.items, start=1)))
    return "\n\n".join(parts)
