"""The Django edge of ``skm.rules.instrument``: its typed errors as translated sentences."""

from django.utils.translation import gettext as _

from skm.rules.instrument import ErrorCode, InstrumentError


def _messages() -> dict[ErrorCode, str]:
    # Built per call so that each sentence is translated in the active language.
    return {
        ErrorCode.SCALE_POINTS: _("Skala harus 2 sampai 10 titik; diberikan %(points)s."),
        ErrorCode.SCALE_LABELS: _("Skala %(points)s titik memerlukan %(points)s label; diberikan %(labels)s."),
        ErrorCode.NO_ITEMS: _("Instrumen belum memiliki butir pertanyaan."),
        ErrorCode.DUPLICATE_ITEM: _("Kode butir '%(item)s' dipakai lebih dari sekali."),
        ErrorCode.ITEM_LABELS: _("Butir %(item)s memerlukan %(points)s label jawaban; diberikan %(labels)s."),
        ErrorCode.WEIGHT_COUNT: _("Diperlukan satu bobot untuk setiap butir (%(items)s); diberikan %(weights)s."),
        ErrorCode.WEIGHT_NOT_POSITIVE: _("Bobot ke-%(position)s harus lebih dari nol; diberikan %(weight)s."),
        ErrorCode.WEIGHT_SUM: _("Jumlah bobot harus tepat 1; jumlahnya %(total)s."),
        ErrorCode.WEIGHT_MODE_UNLOCKED: _("Mode bobot '%(mode)s' hanya tersedia untuk instrumen bawaan yang terkunci."),
        ErrorCode.NO_BANDS: _("Instrumen belum memiliki rentang mutu."),
        ErrorCode.BAND_BOUNDS: _(
            "Rentang mutu %(grade)s tidak sah: %(low)s sampai %(high)s (dua desimal, batas bawah tidak melebihi "
            "batas atas)."
        ),
        ErrorCode.BAND_FLOOR: _(
            "Rentang mutu terendah (%(grade)s) harus mulai paling tinggi dari %(floor)s, nilai terendah yang "
            "dapat dicapai; mulai dari %(low)s."
        ),
        ErrorCode.BAND_CEILING: _("Rentang mutu tertinggi (%(grade)s) harus berakhir pada 100,00; berakhir %(high)s."),
        ErrorCode.BAND_GAP: _(
            "Ada celah antara rentang mutu %(lower)s (sampai %(high)s) dan %(upper)s (dari %(low)s)."
        ),
        ErrorCode.BAND_OVERLAP: _("Rentang mutu %(lower)s dan %(upper)s saling tumpang tindih."),
        ErrorCode.DUPLICATE_GRADE: _("Setiap rentang mutu memerlukan huruf mutu yang berbeda."),
        ErrorCode.LOCKED: _("Instrumen %(instrument)s ditetapkan Permenpan RB 14/2017 dan tidak dapat diubah."),
        ErrorCode.UNKNOWN_INSTRUMENT: _("Instrumen '%(code)s' tidak dikenal. Pilih salah satu: %(codes)s."),
        ErrorCode.UNKNOWN_WEIGHT_MODE: _("Mode bobot '%(mode)s' tidak dikenal. Pilih salah satu: %(modes)s."),
        ErrorCode.UNKNOWN_ITEM: _("Butir '%(item)s' tidak ada pada instrumen %(instrument)s."),
        ErrorCode.ANSWER_OUT_OF_SCALE: _("Jawaban butir %(item)s harus 1 sampai %(points)s; diberikan %(value)s."),
        ErrorCode.TALLY_INVALID: _("Rekap butir %(item)s tidak mungkin: jumlah %(total)s dari %(answered)s jawaban."),
    }


def error_message(exc: InstrumentError) -> str:
    """The sentence for a rule error, in the active language."""
    params = {
        key: ", ".join(str(v) for v in value) if isinstance(value, tuple | list) else value
        for key, value in exc.params.items()
    }
    return _messages()[exc.code] % params
