"""The DCAT open-data catalogue (/publik/katalog.json): exactly the published
versions, their distributions, paging, filters, bad parameters and cache headers."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import catalog
from reports.models import PublishedReport
from surveys.models import SurveyRound
from surveys.services_rounds import round_close, round_open
from surveys.tests.factories import PeriodFactory, ResponseFactory, SurveyRoundFactory, UnitFactory, publish_round

pytestmark = pytest.mark.django_db

SITE = "https://skm.contoh.go.id"
URL = "/publik/katalog.json"
SARAN = "Saran rahasia responden Pulutan"
PDF_BYTES = b"%PDF-1.7\n% laporan terbit uji\n%%EOF\n"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SKM_SITE_URL = SITE


def answers(unit, period, n=2, **extra):
    for _ in range(n):
        ResponseFactory(unit=unit, period=period, suggestion=SARAN, gender="P", age=34, **extra)


@pytest.fixture
def later():
    return PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")


@pytest.fixture
def published(unit, period, district, other_unit, later):
    """pulutan 2024-S2 published twice (v1 with its stored PDF), kpu-tangerang
    2025-S1 published once; sidorejo's 2025-S1 round closed but never published,
    pulutan's 2025-S1 round open and kpu-tangerang's 2024-S2 open, all with answers."""
    answers(unit, period)
    v1 = publish_round(unit, period)
    report = PublishedReport(publication=v1, status=PublishedReport.Status.DONE, size=len(PDF_BYTES))
    report.sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    report.file.save("laporan-uji.pdf", ContentFile(PDF_BYTES), save=False)
    report.save()
    v2 = publish_round(unit, period, note="Koreksi")
    # Published elsewhere in the tree.
    SurveyRoundFactory(unit=other_unit, period=later)
    answers(other_unit, later)
    other = publish_round(other_unit, later)
    # Closed but not published (the district), open with answers (pulutan, kpu-tangerang).
    rnd = round_open(unit=district, period=later, user=None)
    answers(district, later)
    round_close(round=rnd, user=None)
    SurveyRoundFactory(unit=unit, period=later)
    answers(unit, later)
    SurveyRoundFactory(unit=other_unit, period=period)
    answers(other_unit, period)
    return {"v1": v1, "v2": v2, "other": other, "report": report}


def get(client, query="", **headers):
    return client.get(URL + query, **headers)


def ids(data) -> list[str]:
    return [d["dct:identifier"] for d in data["dcat:dataset"]]


def test_lists_exactly_the_published_versions(client, published):
    response = get(client)
    assert response.status_code == 200
    assert ids(response.json()) == ["pulutan/2024-S2/v1", "pulutan/2024-S2/v2", "kpu-tangerang/2025-S1/v1"]
    assert SurveyRound.objects.filter(status=SurveyRound.Status.CLOSED).exists()  # the unpublished one is there


def test_an_inactive_units_versions_are_not_listed(client, published, unit):
    unit.is_active = False
    unit.save()
    assert ids(get(client).json()) == ["kpu-tangerang/2025-S1/v1"]


def test_catalog_is_json_ld_with_the_required_dcat_keys(client, published):
    response = get(client)
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    data = response.json()
    assert {"dcat", "dct", "foaf", "vcard"} <= set(data["@context"])
    assert data["@type"] == "dcat:Catalog" and data["@id"] == f"{SITE}/publik/katalog.json"
    assert data["dct:title"] and data["dct:description"]
    assert data["dct:publisher"]["foaf:name"] == "SKM skm.contoh.go.id"
    first = data["dcat:dataset"][0]
    required = {"dct:identifier", "dct:title", "dct:temporal", "dct:publisher", "dct:issued", "dct:license"}
    assert required | {"dcat:keyword", "dcat:theme", "dct:conformsTo", "dcat:distribution"} <= set(first)
    assert first["@type"] == "dcat:Dataset"
    assert first["dct:title"] == "Hasil Survei Kepuasan Masyarakat Kelurahan Pulutan Semester II Tahun 2024 (versi 1)"
    assert first["dct:temporal"]["dcat:startDate"] == {"@value": "2024-07-01", "@type": "xsd:date"}
    assert first["dct:temporal"]["dcat:endDate"] == {"@value": "2024-12-31", "@type": "xsd:date"}
    assert first["dct:issued"]["@value"] == published["v1"].published_at.isoformat()
    assert first["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    (standard,) = first["dct:conformsTo"]  # a round that asks the SKM only
    assert standard["dct:identifier"] == "SKM"
    assert standard["dct:title"] == "Survei Kepuasan Masyarakat"
    assert "survei kepuasan masyarakat" in first["dcat:keyword"] and "IKM" in first["dcat:keyword"]
    assert first["dcat:landingPage"] == {"@id": f"{SITE}/publik/pulutan/hasil/2024-S2/?versi=1"}


def _terms(node):
    """Every key and every @id/@type value of a JSON-LD tree."""
    if isinstance(node, list):
        for item in node:
            yield from _terms(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                yield "key", key
                if key in ("@id", "@type"):
                    yield key, value
                yield from _terms(value)


def test_every_term_is_a_keyword_or_a_prefix_of_the_context(client, published):
    """No JSON-LD processor is installed: check what one needs to expand the
    document without dropping anything: each term is a keyword or prefix:name
    with a declared prefix, each @id an absolute URL or such a compact IRI."""
    data = get(client).json()
    context = data["@context"]
    assert all(v.startswith("http") and v[-1] in "#/" for v in context.values())
    terms = list(_terms(data))
    assert len(terms) > 100
    for kind, term in terms:
        if kind == "@id" and term.startswith(("http://", "https://")):
            continue
        if term.startswith("@"):
            assert term in {"@id", "@type", "@value", "@language"}, term
            continue
        prefix, _sep, name = term.partition(":")
        assert prefix in context and name, (kind, term)


def test_publisher_is_the_unit_inside_its_parent_chain(client, published):
    publisher = get(client).json()["dcat:dataset"][0]["dct:publisher"]
    assert (publisher["dct:identifier"], publisher["foaf:name"]) == ("pulutan", "Kelurahan Pulutan")
    assert publisher["skos:altLabel"] == "Kelurahan Pulutan, Kecamatan Sidorejo, Pemerintah Kota Salatiga"
    parent = publisher["org:subOrganizationOf"]
    assert parent["foaf:name"] == "Kecamatan Sidorejo"
    assert parent["org:subOrganizationOf"]["foaf:name"] == "Pemerintah Kota Salatiga"
    assert "org:subOrganizationOf" not in parent["org:subOrganizationOf"]


def test_licence_and_publisher_come_from_the_settings(client, published, settings):
    settings.SKM_OPEN_DATA_LICENSE = "https://opendatacommons.org/licenses/odbl/1-0/"
    settings.SKM_OPEN_DATA_PUBLISHER = "Pemerintah Kota Salatiga"
    data = get(client).json()
    assert data["dct:license"] == {"@id": "https://opendatacommons.org/licenses/odbl/1-0/"}
    assert data["dct:publisher"]["foaf:name"] == "Pemerintah Kota Salatiga"
    for dataset in data["dcat:dataset"]:
        assert dataset["dct:license"]["@id"] == settings.SKM_OPEN_DATA_LICENSE
        assert {d["dct:license"]["@id"] for d in dataset["dcat:distribution"]} == {settings.SKM_OPEN_DATA_LICENSE}


def test_distributions_resolve_and_the_pdf_carries_its_sha256(client, published):
    data = get(client).json()
    by_id = {d["dct:identifier"]: d for d in data["dcat:dataset"]}
    v1 = by_id["pulutan/2024-S2/v1"]["dcat:distribution"]
    assert [d["dct:format"] for d in v1] == ["CSV", "JSON", "PDF"]
    assert [d["dcat:mediaType"]["@id"].rsplit("/", 2)[-2:] for d in v1] == [
        ["text", "csv"],
        ["application", "json"],
        ["application", "pdf"],
    ]
    pdf = v1[2]
    assert pdf["spdx:checksum"]["spdx:checksumValue"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert pdf["spdx:checksum"]["spdx:algorithm"] == {"@id": "spdx:checksumAlgorithm_sha256"}
    assert pdf["dcat:byteSize"]["@value"] == str(len(PDF_BYTES))
    # v2 has no stored PDF (yet): only the open data.
    assert [d["dct:format"] for d in by_id["pulutan/2024-S2/v2"]["dcat:distribution"]] == ["CSV", "JSON"]
    urls = [
        link["@id"]
        for dataset in data["dcat:dataset"]
        for link in [dataset["dcat:landingPage"], *(d["dcat:downloadURL"] for d in dataset["dcat:distribution"])]
    ]
    assert len(urls) == 3 + 7 and all(u.startswith(SITE + "/publik/") for u in urls)
    for url in urls:
        response = client.get(url.removeprefix(SITE))
        assert response.status_code == 200, url
        if url.endswith(".pdf"):
            assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_pdf_not_yet_stored_is_not_listed(client, published):
    PublishedReport.objects.update(status=PublishedReport.Status.RUNNING)
    v1 = get(client).json()["dcat:dataset"][0]
    assert [d["dct:format"] for d in v1["dcat:distribution"]] == ["CSV", "JSON"]


def test_nothing_personal(client, published, unit):
    unit.privacy_contact = "dpo-pulutan@contoh.go.id"
    unit.signatory_nip = "198001012005011001"
    unit.save()
    body = get(client).content.decode("utf-8")
    assert "Kelurahan Pulutan" in body  # the catalogue does name the unit
    for secret in (SARAN, "dpo-pulutan", "198001012005011001", "Budi Santoso"):
        assert secret not in body
    for field in ('"gender"', '"age"', '"suggestion"', '"saran"', "jenis_kelamin", "usia"):
        assert field not in body


def test_filter_by_period(client, published):
    assert ids(get(client, "?periode=2025-s1").json()) == ["kpu-tangerang/2025-S1/v1"]
    assert get(client, "?periode=2024-S2").json()["hydra:view"]["hydra:totalItems"] == 2


def test_filter_by_unit_takes_its_subtree(client, published, city):
    assert ids(get(client, "?unit=salatiga").json()) == ["pulutan/2024-S2/v1", "pulutan/2024-S2/v2"]
    assert ids(get(client, "?unit=pulutan&periode=2025-S1").json()) == []
    assert ids(get(client, "?unit=tangerang").json()) == ["kpu-tangerang/2025-S1/v1"]


def test_pages_of_fixed_size_with_hydra_links(client, published, monkeypatch):
    monkeypatch.setattr(catalog, "CATALOG_PAGE_SIZE", 2)
    first = get(client, "?unit=&periode=").json()
    view = first["hydra:view"]
    assert ids(first) == ["pulutan/2024-S2/v1", "pulutan/2024-S2/v2"]
    assert (view["hydra:totalItems"], view["hydra:itemsPerPage"]) == (3, 2)
    assert view["hydra:firstPage"] == f"{SITE}{URL}"
    assert view["hydra:lastPage"] == view["hydra:nextPage"] == f"{SITE}{URL}?halaman=2"
    assert "hydra:previousPage" not in view
    second = client.get(view["hydra:nextPage"].removeprefix(SITE)).json()
    assert ids(second) == ["kpu-tangerang/2025-S1/v1"]
    assert second["hydra:view"]["hydra:previousPage"] == f"{SITE}{URL}"
    assert "hydra:nextPage" not in second["hydra:view"]
    # Filters are carried in the links.
    filtered = get(client, "?unit=salatiga&periode=2024-s2").json()["hydra:view"]
    assert filtered["@id"] == f"{SITE}{URL}?periode=2024-S2&unit=salatiga"
    assert "hydra:nextPage" not in filtered


def test_empty_catalogue_is_one_empty_page(client, unit, period):
    data = get(client).json()
    assert data["dcat:dataset"] == [] and data["hydra:view"]["hydra:totalItems"] == 0
    assert data["hydra:view"]["hydra:lastPage"] == f"{SITE}{URL}"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("?halaman=0", "Halaman '0' tidak valid"),
        ("?halaman=abc", "Halaman 'abc' tidak valid"),
        ("?halaman=-1", "Halaman '-1' tidak valid"),
        ("?halaman=%C2%B2", "tidak valid"),
        ("?halaman=9999999", "tidak valid"),
        ("?halaman=2", "Halaman 2 tidak ada: halaman terakhir adalah 1."),
        ("?periode=2024-X9", "Periode '2024-X9' tidak dikenal"),
        ("?periode=2030", "Periode '2030' tidak dikenal"),
        ("?unit=tidak-ada", "Unit 'tidak-ada' tidak ditemukan."),
        ("?unit=a&unit=b", "Parameter 'unit' hanya boleh diberikan sekali."),
    ],
)
def test_bad_parameters_are_a_json_400_in_indonesian(client, published, query, fragment):
    response = get(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["galat"]


def test_an_inactive_unit_is_an_unknown_filter(client, published, other_unit):
    other_unit.is_active = False
    other_unit.save()
    assert get(client, "?unit=kpu-tangerang").status_code == 400


def test_cache_headers_and_etag_revalidation(client, published, unit, later):
    response = get(client)
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    again = get(client, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    # A new publication changes the body, so the ETag.
    publish_round(unit, later)
    assert get(client, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert get(client)["ETag"] != etag


def test_query_count_does_not_grow_with_the_datasets(client, published, django_assert_num_queries):
    # The count, the page, the ancestors' names, the stored PDFs.
    with django_assert_num_queries(4):
        assert len(get(client).json()["dcat:dataset"]) == 3
    # Plus the unit and the period of the filters.
    with django_assert_num_queries(6):
        get(client, "?unit=salatiga&periode=2024-S2")
    for code in ("a", "b", "c"):
        extra = UnitFactory(code=f"kel-{code}", name=f"Kelurahan {code}", parent=published["other"].round.unit)
        SurveyRoundFactory(unit=extra, period=published["other"].round.period)
        answers(extra, published["other"].round.period, n=1)
        publish_round(extra, published["other"].round.period)
    with django_assert_num_queries(4):
        assert len(get(client).json()["dcat:dataset"]) == 6


def test_empty_page_reads_only_the_count(client, unit, period):
    with CaptureQueriesContext(connection) as queries:
        get(client)
    assert len(queries) == 1


def test_archive_page_links_to_the_units_catalogue(client, published):
    page = client.get("/publik/pulutan/hasil/").content.decode("utf-8")
    assert 'href="/publik/katalog.json?unit=pulutan" id="katalog-dcat"' in page


def test_a_version_that_asked_the_spak_names_it(client, unit, period, alice, bob, during_period):
    """Issue 22 point 4: each dataset says which instruments it holds."""
    from surveys.services import response_create_paper
    from surveys.services_rounds import round_set_instruments

    rnd = SurveyRound.objects.get(unit=unit, period=period)
    round_set_instruments(round=rnd, user=alice, instruments=["SPAK"])
    response_create_paper(
        unit=unit,
        period=period,
        user=alice,
        answers={f"U{i}": 3 for i in range(1, 10)},
        more={"SPAK": {"AK1": 6, "AK2": 5, "AK3": 6, "AK4": 5, "AK5": 6}},
    )
    publish_round(unit, period, user=bob)
    (node,) = get(client).json()["dcat:dataset"]
    assert [s["dct:identifier"] for s in node["dct:conformsTo"]] == ["SKM", "SPAK"]
    assert node["dct:conformsTo"][1]["dct:title"] == "Survei Persepsi Anti Korupsi"
    assert {"SPAK", "IPAK"} <= set(node["dcat:keyword"])
    assert "IPAK (Survei Persepsi Anti Korupsi)" in node["dct:description"]
