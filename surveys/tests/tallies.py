"""The SKM's ItemTally rows read back in a wide shape, for tests: per key the
respondents, then per item its sum, answered count and the counts of 1..4."""

from types import SimpleNamespace

from surveys.models import ItemTally

CODES = [f"U{i}" for i in range(1, 10)]


def stored() -> dict[tuple, list[int]]:
    """The ItemTally rows in recount()'s shape (keys with only zeros left out)."""
    out: dict[tuple, list[int]] = {}
    for t in ItemTally.objects.filter(instrument="SKM"):
        row = out.setdefault((t.unit_id, t.period_id, t.service_key), [0] * 55)
        if t.item == 0:
            row[0] = t.answered
        else:
            base = 1 + 6 * (t.item - 1)
            row[base : base + 6] = [t.total, t.answered, t.n1, t.n2, t.n3, t.n4]
            assert (t.n5, t.n6, t.n7, t.n8, t.n9, t.n10) == (0,) * 6
    return {k: v for k, v in out.items() if any(v)}


def tally(unit, period, service=None) -> SimpleNamespace:
    """One key's tallies as attributes: respondents, U1_sum, U1_answered, U1_n1..."""
    key = (unit.pk, period.pk, service.pk if service else 0)
    row = stored().get(key, [0] * 55)
    values = {"respondents": row[0]}
    for i, code in enumerate(CODES):
        base = 1 + 6 * i
        values[f"{code}_sum"], values[f"{code}_answered"] = row[base], row[base + 1]
        values.update({f"{code}_n{p}": row[base + 1 + p] for p in range(1, 5)})
    return SimpleNamespace(**values)


def answer_sums(responses, instrument: str = "SKM") -> tuple[dict[str, int], dict[str, int]]:
    """Per item code the sum of the answers and how many were given, counted in
    Python from the stored rows (no SQL aggregate): a check independent of the tallies."""
    totals: dict[str, int] = {}
    answered: dict[str, int] = {}
    for response in responses:
        for code, value in response.answers(instrument).items():
            totals.setdefault(code, 0)
            answered.setdefault(code, 0)
            if value is not None:
                totals[code] += value
                answered[code] += 1
    return totals, answered
