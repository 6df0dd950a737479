"""skm_instrument list / show: the JSON shape of issue 20 point 7, the text, and the errors.

The expected documents are written out by hand from the built-in definitions
(skm/rules/instruments_data.py) and the README, not produced by the code under test.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from skm.rules.instrument import ErrorCode, InstrumentError
from surveys.instruments import error_message
from surveys.management.commands.skm_instrument import Command


def run(*args) -> str:
    out = StringIO()
    call_command("skm_instrument", *args, stdout=out)
    return out.getvalue()


def run_argv(capsys, *args):
    """Run like manage.py does, so a CommandError becomes stderr + exit status."""
    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(["manage.py", "skm_instrument", *args])
    return exc.value.code, capsys.readouterr()


ZI_BANDS = [
    {"grade": "A", "label": "Sangat Baik", "low": "88.31", "high": "100.00"},
    {"grade": "B", "label": "Baik", "low": "76.61", "high": "88.30"},
    {"grade": "C", "label": "Kurang Baik", "low": "65.00", "high": "76.60"},
    {"grade": "D", "label": "Tidak Baik", "low": "16.67", "high": "64.99"},
]


def test_show_spak_json_is_the_issue_shape():
    doc = json.loads(run("show", "SPAK", "--json"))
    assert doc == {
        "code": "SPAK",
        "name": "Survei Persepsi Anti Korupsi",
        "scale_max": 6,
        "items": [
            {"code": "AK1", "text": "Tidak ada diskriminasi pelayanan pada unit layanan ini.", "weight": "1/5"},
            {
                "code": "AK2",
                "text": "Tidak ada pelayanan di luar prosedur/kecurangan pelayanan pada unit layanan ini.",
                "weight": "1/5",
            },
            {
                "code": "AK3",
                "text": "Tidak ada penerimaan imbalan uang/barang/fasilitas di luar ketentuan yang berlaku pada "
                "unit layanan ini.",
                "weight": "1/5",
            },
            {"code": "AK4", "text": "Tidak ada pungutan liar (pungli) pada unit layanan ini.", "weight": "1/5"},
            {
                "code": "AK5",
                "text": "Tidak ada percaloan/perantara tidak resmi pada unit layanan ini.",
                "weight": "1/5",
            },
        ],
        "bands": ZI_BANDS,
    }
    assert list(doc) == ["code", "name", "scale_max", "items", "bands"]


def test_show_skm_json_weights_and_regulation_bands():
    doc = json.loads(run("show", "skm", "--json"))  # the code is case-insensitive
    assert (doc["code"], doc["scale_max"]) == ("SKM", 4)
    assert [i["code"] for i in doc["items"]] == ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
    assert {i["weight"] for i in doc["items"]} == {"1/9"}
    assert doc["items"][3]["text"] == "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"
    # Permenpan RB 14/2017, Tabel nilai interval konversi: 25,00 - 64,99 D ... 88,31 - 100,00 A.
    assert [(b["grade"], b["label"], b["low"], b["high"]) for b in doc["bands"]] == [
        ("A", "Sangat Baik", "88.31", "100.00"),
        ("B", "Baik", "76.61", "88.30"),
        ("C", "Kurang Baik", "65.00", "76.60"),
        ("D", "Tidak Baik", "25.00", "64.99"),
    ]


def test_show_spkp_json_in_english():
    doc = json.loads(run("show", "SPKP", "--json", "--lang", "en"))
    assert doc["name"] == "Service Quality Perception Survey"
    assert [i["code"] for i in doc["items"]] == ["KP1", "KP2", "KP3", "KP4", "KP5", "KP6", "KP7", "KP8"]
    assert {i["weight"] for i in doc["items"]} == {"1/8"}
    assert doc["items"][4]["text"] == "The fee paid for the service at this unit matched the fee that has been set."
    assert doc["bands"][0]["label"] == "Very good"


def test_list_text_and_json():
    text = run("list")
    lines = text.splitlines()
    assert lines[0].split() == ["Kode", "Nama", "Indeks", "Skala", "Butir", "Status"]
    assert "SKM   Survei Kepuasan Masyarakat" in lines[1] and lines[1].rstrip().endswith("9  terkunci")
    assert lines[2].startswith("SPKP  Survei Persepsi Kualitas Pelayanan") and "IPKP    1–6        8" in lines[2]
    assert lines[3].startswith("SPAK  Survei Persepsi Anti Korupsi") and lines[3].endswith("templat, dapat diubah")
    rows = json.loads(run("list", "--json"))
    assert [(r["code"], r["index"], r["scale_max"], r["items"], r["locked"]) for r in rows] == [
        ("SKM", "IKM", 4, 9, True),
        ("SPKP", "IPKP", 6, 8, False),
        ("SPAK", "IPAK", 6, 5, False),
    ]


def test_show_text_names_scale_items_and_bands():
    text = run("show", "SPKP")
    assert "SPKP — Survei Persepsi Kualitas Pelayanan (IPKP)" in text
    assert "Skala 1–6, dari terburuk ke terbaik:" in text
    assert "  1 Sangat tidak setuju" in text and "  6 Sangat setuju" in text
    assert "KP8       1/8  Konsultasi dan pengaduan [Konsultasi dan pengaduan]" in text
    assert "  D  16,67 – 64,99  Tidak Baik" in text
    assert "Mode bobot lain: 0.111, 0.11" in run("show", "SKM")


def test_unknown_code_is_an_indonesian_error_with_a_non_zero_exit(capsys):
    code, captured = run_argv(capsys, "show", "IKD")
    assert code == 1
    assert "Instrumen 'IKD' tidak dikenal. Pilih salah satu: SKM, SPKP, SPAK." in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_rule_error_has_a_sentence_in_both_languages(code):
    params = {
        "points": 6, "labels": 5, "item": "KP1", "items": 8, "weights": 7, "position": 2, "weight": "0",
        "total": "9/8", "mode": "0.5", "grade": "D", "low": "25.01", "high": "64.99", "floor": "25.00",
        "lower": "D", "upper": "C", "instrument": "SKM", "code": "IKD", "codes": ("SKM", "SPKP"),
        "modes": ("exact",), "value": 7, "answered": 2, "grades": ["A", "A"],
    }  # fmt: skip
    exc = InstrumentError(code, **params)
    indonesian = error_message(exc)
    with translation.override("en"):
        english = error_message(exc)
    assert indonesian and english and indonesian != english
    assert "%(" not in indonesian and "%(" not in english
