"""Institutions: search, filters, version shapes, credentials."""
from __future__ import annotations

import pytest

from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.parity

MX_TEST_CODES = {"mxbank", "mx_bank_oauth", "mxcu_oauth", "mxcu_credential"}


def test_mxbank_shapes_differ_by_version(mx):
    new = mx.get("/institutions/mxbank")
    assert_valid(new)
    inst = new.json()["institution"]
    assert inst["code"] == "mxbank" and inst["name"] == "MX Bank" and inst["supports_oauth"] is False
    assert inst["guid"].startswith("INS-")
    assert "transactions" in inst["supported_products"]
    assert not any(k.startswith("supports_account") for k in inst)

    old = mx.v1.get("/institutions/mxbank")
    assert_valid(old, "v20111101")
    inst1 = old.json()["institution"]
    assert inst1["supports_account_verification"] is True
    assert "supported_products" not in inst1 and "guid" not in inst1


def test_search_by_name_is_case_insensitive(mx):
    r = mx.get("/institutions", params={"name": "mx bank"})
    assert_valid(r)
    codes = {i["code"] for i in r.json()["institutions"]}
    assert {"mxbank", "mx_bank_oauth"} <= codes


def test_mx_test_institutions_exist(mx):
    for code in MX_TEST_CODES:
        r = mx.get(f"/institutions/{code}")
        assert r.status_code == 200, code
    assert mx.get("/institutions/mx_bank_oauth").json()["institution"]["supports_oauth"] is True


def test_unknown_institution_is_404(mx):
    assert_mx_error(mx.get("/institutions/no_such_bank"), 404)


@pytest.mark.sandbox_only
def test_products_filter_requires_every_product(mx):
    r = mx.get("/institutions", params=[("supported_products", "account_verification"), ("supported_products", "identity_verification"), ("records_per_page", "100")])
    assert_valid(r)
    found = r.json()["institutions"]
    assert found and all(
        {"account_verification", "identity_verification"} <= set(i["supported_products"]) for i in found
    )
    everything = mx.get("/institutions", params={"records_per_page": 100}).json()["pagination"]["total_entries"]
    assert r.json()["pagination"]["total_entries"] < everything
    assert_mx_error(mx.get("/institutions", params={"supported_products": "teleportation"}), 400)


@pytest.mark.sandbox_only
def test_v1_supports_flags_filter(mx):
    r = mx.v1.get("/institutions", params={"supports_account_statement": "true", "records_per_page": 100})
    assert_valid(r, "v20111101")
    found = r.json()["institutions"]
    assert found and all(i["supports_account_statement"] for i in found)


@pytest.mark.sandbox_only
def test_country_filter_and_catalog_coverage(mx):
    for country in ("US", "CA", "MX"):
        r = mx.get("/institutions", params={"iso_country_code": country, "records_per_page": 100})
        found = r.json()["institutions"]
        assert found and {i["iso_country_code"] for i in found} == {country}
    everything = mx.get("/institutions", params={"records_per_page": 100}).json()
    assert everything["pagination"]["total_entries"] >= 34
    oauth = [i for i in everything["institutions"] if i["supports_oauth"]]
    assert len(oauth) >= 5


def test_credentials_of_mxbank(mx):
    r = mx.get("/institutions/mxbank/credentials")
    assert_valid(r)
    creds = r.json()["credentials"]
    assert [c["field_name"] for c in creds] == ["LOGIN", "PASSWORD"]
    assert [c["type"] for c in creds] == ["TEXT", "PASSWORD"]
    assert all(c["guid"].startswith("CRD-") for c in creds)
    assert_valid(mx.v1.get("/institutions/mxbank/credentials"), "v20111101")


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_favorites_are_a_list_not_an_institution_code(mx, version):
    """`/institutions/favorites` is MX's listFavoriteInstitutions, most popular first."""
    client = mx if version == "v20250224" else mx.v1
    r = client.get("/institutions/favorites")
    assert r.status_code == 200, r.text
    assert_valid(r, version)
    codes = [i["code"] for i in r.json()["institutions"]]
    assert codes[:2] == ["mxbank", "mx_bank_oauth"] and len(codes) == len(set(codes)) > 2
    canadian = client.get("/institutions/favorites", params={"iso_country_code": "CA"}).json()["institutions"]
    assert canadian and {i["iso_country_code"] for i in canadian} == {"CA"}
    assert [i["code"] for i in canadian] == [c for c in codes if c in {i["code"] for i in canadian}]
    paged = client.get("/institutions/favorites", params={"records_per_page": 10, "page": 2}).json()
    assert paged["pagination"]["current_page"] == 2
