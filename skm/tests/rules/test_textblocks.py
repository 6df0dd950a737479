from skm.rules.textblocks import BlockKind, TextBlock, blocks_to_text, parse_blocks


def test_paragraphs_are_separated_by_blank_lines_and_lines_joined():
    text = "Survei dilaksanakan\ndi kantor kelurahan.\n\nHasilnya baik."
    assert parse_blocks(text) == (
        TextBlock(BlockKind.PARAGRAPH, ("Survei dilaksanakan di kantor kelurahan.",)),
        TextBlock(BlockKind.PARAGRAPH, ("Hasilnya baik.",)),
    )


def test_bullets_and_numbers_make_lists_with_continuation_lines():
    text = "Penyebab:\n- antrean panjang\n  pada pagi hari\n* loket sedikit\n\n1. tambah loket\n2) jadwal piket"
    assert parse_blocks(text) == (
        TextBlock(BlockKind.PARAGRAPH, ("Penyebab:",)),
        TextBlock(BlockKind.BULLETS, ("antrean panjang pada pagi hari", "loket sedikit")),
        TextBlock(BlockKind.NUMBERED, ("tambah loket", "jadwal piket")),
    )


def test_markup_stays_literal_and_empty_text_has_no_blocks():
    assert parse_blocks("<b>tebal</b> & =SUM(A1)") == (TextBlock(BlockKind.PARAGRAPH, ("<b>tebal</b> & =SUM(A1)",)),)
    assert parse_blocks("") == ()
    assert parse_blocks(" \r\n \n") == ()


def test_windows_line_endings():
    assert parse_blocks("a\r\n\r\n- b\r\n- c") == (
        TextBlock(BlockKind.PARAGRAPH, ("a",)),
        TextBlock(BlockKind.BULLETS, ("b", "c")),
    )


def test_text_round_trips_through_blocks():
    text = "Pengantar.\n\n- satu\n- dua\n\n1. pertama\n2. kedua"
    assert blocks_to_text(parse_blocks(text)) == text


def test_typed_numbers_are_kept_after_a_bulleted_list():
    """Seed LHTL BAB IV: "1.", "2." then a bulleted list, then "3." — the 3 stays 3."""
    blocks = parse_blocks("1. satu\n2. dua\n\n- catatan\n\n3. tiga")
    assert blocks == (
        TextBlock(BlockKind.NUMBERED, ("satu", "dua")),
        TextBlock(BlockKind.BULLETS, ("catatan",)),
        TextBlock(BlockKind.NUMBERED, ("tiga",), start=3),
    )


def test_bullets_indented_under_a_numbered_item_are_its_own_list():
    blocks = parse_blocks("1. satu\n2. belum terealisasi karena:\n   - anggaran\n   - cuaca\n3. tiga")
    assert blocks == (
        TextBlock(
            BlockKind.NUMBERED,
            ("satu", "belum terealisasi karena:", "tiga"),
            nested=((), (TextBlock(BlockKind.BULLETS, ("anggaran", "cuaca")),), ()),
        ),
    )
    # The editor's prefill types it back the same way.
    assert blocks_to_text(blocks) == "1. satu\n2. belum terealisasi karena:\n   - anggaran\n   - cuaca\n3. tiga"
    assert parse_blocks(blocks_to_text(blocks)) == blocks


def test_an_indented_continuation_line_still_continues_the_item():
    assert parse_blocks("- antrean panjang\n  pada pagi hari") == (
        TextBlock(BlockKind.BULLETS, ("antrean panjang pada pagi hari",)),
    )
