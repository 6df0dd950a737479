"""Open data of the published results per unit (no login), as JSON and CSV.

The public results page itself lives in ``reports.views_public``: it also
shows the published Laporan SKM files, which the reports app owns.

Only frozen publications are shown (``surveys.models.RoundPublication``).
Aggregates only: never respondent rows, profiles of small groups or saran.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse

from skm.db_replica import replica_reads
from surveys.models import Unit
from surveys.open_data import open_data_csv, open_data_json
from surveys.selectors import unit_get_public
from surveys.selectors_rounds import publication_cache_token, publication_open_data

# Cached open data lives this long at most; the key already changes with every
# publication and unit edit, so this only bounds memory.
PUBLIC_CACHE_SECONDS = 24 * 3600


def open_data_rows(unit, subtree: bool) -> list[dict]:
    """The open-data rows, cached per published version of the unit (or subtree)."""
    # The subtree is a subquery on the materialised path: no id list is inlined.
    unit_ids = Unit.objects.filter(path__startswith=unit.path).values("id") if subtree else [unit.pk]
    key = f"skm:public:data:{unit.pk}:{int(subtree)}:{publication_cache_token(unit_ids=unit_ids)}"
    rows = cache.get(key)
    if rows is None:
        rows = publication_open_data(unit_ids=unit_ids)
        cache.set(key, rows, PUBLIC_CACHE_SECONDS)
    return rows


@replica_reads
def public_results_json(request, unit_code: str, subtree: bool = False):
    """Every published version of the unit's rounds (or of its whole subtree), as open data."""
    unit = unit_get_public(code=unit_code)
    response = HttpResponse(
        open_data_json(unit_code=unit.code, subtree=subtree, rows=open_data_rows(unit, subtree)),
        content_type="application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@replica_reads
def public_results_csv(request, unit_code: str, subtree: bool = False):
    unit = unit_get_public(code=unit_code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = "-wilayah" if subtree else ""
    response["Content-Disposition"] = f'attachment; filename="hasil-skm-{unit.code}{suffix}.csv"'
    response.write(open_data_csv(rows=open_data_rows(unit, subtree)))
    return response
