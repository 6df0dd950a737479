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
    # A numbered list's first number as typed ("3." after a bulleted list stays 3).
    start: int = 1
    # Blocks typed indented under each item (empty: no item has any).
    nested: tuple[tuple[TextBlock, ...], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.items)

    def children(self, index: int) -> tuple[TextBlock, ...]:
        return self.nested[index] if index < len(self.nested) else ()


_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
MAX_SECTION_CHARS = 20_000
_NEST_INDENT = 2  # a list line indented this much under an item belongs to it


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _line_kind(line: str) -> tuple[BlockKind, str, int]:
    if m := _BULLET.match(line):
        return BlockKind.BULLETS, m.group(1).strip(), 0
    if m := _NUMBER.match(line):
        return BlockKind.NUMBERED, m.group(2).strip(), int(m.group(1))
    return BlockKind.PARAGRAPH, line.strip(), 0


def parse_blocks(text: str) -> tuple[TextBlock, ...]:
    """Paragraphs and lists of ``text``, in order. A list item continues on the
    following non-blank lines that are not items themselves; list lines indented
    under an item are that item's own list (nesting kept); a numbered list keeps
    the number its first item was typed with."""
    blocks: list[TextBlock] = []
    kind: BlockKind | None = None
    items: list[str] = []
    first_number = 1
    children: list[list[str]] = []  # raw lines typed under each item

    def flush() -> None:
        nonlocal kind, items, children, first_number
        if kind is not None and items:
            if kind is BlockKind.PARAGRAPH:
                blocks.append(TextBlock(kind, (" ".join(items),)))
            else:
                nested = tuple(parse_blocks(_dedent(lines)) for lines in children)
                blocks.append(
                    TextBlock(
                        kind,
                        tuple(items),
                        first_number if kind is BlockKind.NUMBERED else 1,
                        nested if any(nested) else (),
                    )
                )
        kind, items, children, first_number = None, [], [], 1

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            if kind in (BlockKind.BULLETS, BlockKind.NUMBERED) and children and children[-1]:
                children[-1].append("")  # a blank line inside an item's own list
                continue
            flush()
            continue
        line_kind, content, number = _line_kind(raw)
        in_list = kind in (BlockKind.BULLETS, BlockKind.NUMBERED)
        if in_list and _under_item(raw, line_kind, children[-1]):
            children[-1].append(raw)
            continue
        if in_list and children[-1] and children[-1][-1] == "":
            children[-1].pop()
        if line_kind is BlockKind.PARAGRAPH:
            if in_list:
                items[-1] = f"{items[-1]} {content}"  # continuation of the item
            else:
                kind = BlockKind.PARAGRAPH
                items.append(content)
            continue
        if kind is not line_kind:
            flush()
            kind = line_kind
            first_number = number or 1
        items.append(content)
        children.append([])
    flush()
    return tuple(blocks)


def _under_item(raw: str, line_kind: BlockKind, typed_under: list[str]) -> bool:
    """Does this line of an open list belong to the last item's own blocks? An
    indented list line does; so does any text once the item has blocks of its own."""
    if typed_under and line_kind is BlockKind.PARAGRAPH:
        return True
    return _indent(raw) >= _NEST_INDENT and (line_kind is not BlockKind.PARAGRAPH or bool(typed_under))


def _dedent(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    width = min((_indent(line) for line in lines if line.strip()), default=0)
    return "\n".join(line.expandtabs(4)[width:] for line in lines)


def blocks_to_text(blocks: tuple[TextBlock, ...], *, indent: str = "") -> str:
    """The plain text that parses back to ``blocks`` (the prefill of an editor)."""
    parts = []
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH:
            parts.append(indent + block.text)
            continue
        lines = []
        for i, item in enumerate(block.items):
            marker = "-" if block.kind is BlockKind.BULLETS else f"{block.start + i}."
            lines.append(f"{indent}{marker} {item}")
            if block.children(i):
                lines.append(blocks_to_text(block.children(i), indent=indent + "   "))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
