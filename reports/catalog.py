"""The open-data catalogue (``/publik/katalog.json``): JSON-LD in the DCAT
vocabulary, so Satu Data harvesters (CKAN's ckanext-dcat and the like) find
every published result.

One ``dcat:Dataset`` per published version (``surveys.RoundPublication``): a
version is what the product publishes, dates and freezes; a correction is a new
version with its own publication time, landing page and PDF, and the earlier
one stays public, so it stays listed. Its distributions are the files that
exist for it: the unit's open data (CSV and JSON, every published version of
the unit, one row per version) and, once stored, the fixed Laporan SKM PDF of
that version with its SHA-256.

Only metadata: names of units and periods, dates, the respondent count the
public page shows beside every index. Never respondent rows, profiles or saran.
Built from the rows the selectors return; the view reads them and pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

from surveys.answers import instrument_get

# Every page holds at most this many datasets (``?halaman=N``, from 1).
CATALOG_PAGE_SIZE = 500

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

LANGUAGE = {"@id": "http://publications.europa.eu/resource/authority/language/IND"}
MEDIA_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "PDF": "application/pdf",
}
# How often a unit of this period kind publishes (EU frequency vocabulary).
FREQUENCY = {
    "tahunan": "ANNUAL",
    "semester": "ANNUAL_2",
    "triwulan": "QUARTERLY",
}
KEYWORDS = ["survei kepuasan masyarakat", "SKM", "IKM", "indeks kepuasan masyarakat", "pelayanan publik"]
THEME = {"@type": "skos:Concept", "skos:prefLabel": {"@value": "Pelayanan publik", "@language": "id"}}


@dataclass(frozen=True)
class CatalogPage:
    """Where the page sits in the whole (filtered) list, for the hydra links."""

    number: int
    total: int
    filters: dict[str, str]  # the query parameters besides the page, as given

    @property
    def last(self) -> int:
        return max(1, -(-self.total // CATALOG_PAGE_SIZE))


def site_url(path: str) -> str:
    """``path`` (from ``reverse``) on the site's public address, ``SKM_SITE_URL``."""
    return settings.SKM_SITE_URL.rstrip("/") + path


def publisher_name() -> str:
    name = settings.SKM_OPEN_DATA_PUBLISHER.strip()
    return name or f"SKM {urlsplit(settings.SKM_SITE_URL).hostname or ''}".strip()


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _datetime(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _instrument(code: str) -> dict:
    instrument = instrument_get(code)
    return {
        "@type": "dct:Standard",
        "dct:identifier": instrument.code,
        "dct:title": instrument.name.id,
        "dct:description": instrument.basis.id,
    }


def _publisher(unit, ancestors: list[str]) -> dict:
    """The unit as a foaf:Organization, inside its parent chain (org:subOrganizationOf)."""
    node: dict = {
        "@type": "foaf:Organization",
        "@id": site_url(reverse("public_results", args=[unit.code])),
        "dct:identifier": unit.code,
        "foaf:name": unit.name,
    }
    if ancestors:
        node["skos:altLabel"] = ", ".join([unit.name, *ancestors])
    inner = node
    for name in ancestors:
        parent = {"@type": "foaf:Organization", "foaf:name": name}
        inner["org:subOrganizationOf"] = parent
        inner = parent
    return node


def _distribution(*, title: str, description: str, url: str, fmt: str, licence: dict) -> dict:
    return {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dct:description": description,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"},
        "dct:format": fmt,
        "dct:license": licence,
    }


def dataset(publication, *, ancestors: list[str], pdf=None) -> dict:
    """One published version as a dcat:Dataset."""
    unit, period = publication.round.unit, publication.round.period
    version = publication.version
    licence = {"@id": settings.SKM_OPEN_DATA_LICENSE}
    page = site_url(reverse("public_results_period", args=[unit.code, period.code])) + f"?versi={version}"
    where = f"{unit.name} ({', '.join(ancestors)})" if ancestors else unit.name
    # The SKM first, then the other instruments the round asked (SPKP, SPAK, a unit's copy).
    codes = publication.round.instrument_codes
    others = [instrument_get(code) for code in codes[1:]]
    also = "".join(f"; {i.index_name} ({i.name.id})" for i in others)
    open_data = (
        f"Semua versi terbit {unit.name}, satu baris per versi; versi ini: periode {period.code}, versi {version}."
    )
    distributions = [
        _distribution(
            title=f"Data terbuka hasil SKM {unit.name} (CSV)",
            description=open_data,
            url=site_url(reverse("public_results_csv", args=[unit.code])),
            fmt="CSV",
            licence=licence,
        ),
        _distribution(
            title=f"Data terbuka hasil SKM {unit.name} (JSON)",
            description=open_data,
            url=site_url(reverse("public_results_json", args=[unit.code])),
            fmt="JSON",
            licence=licence,
        ),
    ]
    if pdf is not None:
        report = _distribution(
            title=f"Laporan SKM {unit.name} {period.label} versi {version} (PDF)",
            description="Berkas tetap laporan yang dipublikasikan; sidik SHA-256 untuk memeriksa salinan.",
            url=site_url(reverse("public_report_pdf", args=[unit.code, period.code, version])),
            fmt="PDF",
            licence=licence,
        )
        report["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": pdf.sha256,
        }
        if pdf.size is not None:
            report["dcat:byteSize"] = {"@value": str(pdf.size), "@type": "xsd:nonNegativeInteger"}
        distributions.append(report)
    node = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": f"{unit.code}/{period.code}/v{version}",
        "dct:title": f"Hasil Survei Kepuasan Masyarakat {unit.name} {period.label} (versi {version})",
        "dct:description": (
            f"Indeks Kepuasan Masyarakat (IKM), nilai per unsur dan mutu pelayanan{also} {where}, "
            f"periode {period.label}, dari {publication.respondents} responden, menurut Permenpan RB 14/2017. "
            f"Angka ringkasan yang dibekukan saat publikasi versi {version}; tanpa data pribadi responden."
        ),
        "dct:issued": _datetime(publication.published_at),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(period.start_date),
            "dcat:endDate": _date(period.end_date),
        },
        "dct:publisher": _publisher(unit, ancestors),
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": unit.name},
        "dct:license": licence,
        "dct:language": LANGUAGE,
        "dct:conformsTo": [_instrument(code) for code in codes],
        "dcat:theme": THEME,
        "dcat:keyword": KEYWORDS + [word for i in others for word in (i.code, i.index_name)],
        "dcat:version": str(version),
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": distributions,
    }
    if unit.website:
        node["dcat:contactPoint"]["vcard:hasURL"] = unit.website  # as typed, maybe without a scheme
    if period.kind in FREQUENCY:
        node["dct:accrualPeriodicity"] = {
            "@id": f"http://publications.europa.eu/resource/authority/frequency/{FREQUENCY[period.kind]}"
        }
    return node


def _page_url(page: CatalogPage, number: int) -> str:
    params = dict(page.filters)
    if number > 1:
        params["halaman"] = str(number)
    query = urlencode(params)
    return site_url(reverse("public_catalog")) + (f"?{query}" if query else "")


def catalog(*, datasets: list[dict], page: CatalogPage) -> dict:
    """The dcat:Catalog of one page, with hydra paging (as ckanext-dcat reads it)."""
    home = site_url("/")
    view = {
        "@id": _page_url(page, page.number),
        "@type": "hydra:PagedCollection",
        "hydra:totalItems": page.total,
        "hydra:itemsPerPage": CATALOG_PAGE_SIZE,
        "hydra:firstPage": _page_url(page, 1),
        "hydra:lastPage": _page_url(page, page.last),
    }
    if page.number < page.last:
        view["hydra:nextPage"] = _page_url(page, page.number + 1)
    if page.number > 1:
        view["hydra:previousPage"] = _page_url(page, page.number - 1)
    return {
        "@context": CONTEXT,
        "@id": site_url(reverse("public_catalog")),
        "@type": "dcat:Catalog",
        "dct:title": "Katalog data terbuka Survei Kepuasan Masyarakat",
        "dct:description": (
            "Setiap versi hasil Survei Kepuasan Masyarakat (Permenpan RB 14/2017) yang dipublikasikan "
            "unit layanan pada situs ini: periode, unit, instrumen, lisensi dan tautan unduhan."
        ),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher_name(), "foaf:homepage": {"@id": home}},
        "foaf:homepage": {"@id": home},
        "dct:language": LANGUAGE,
        "dct:license": {"@id": settings.SKM_OPEN_DATA_LICENSE},
        "hydra:view": view,
        "dcat:dataset": datasets,
    }
