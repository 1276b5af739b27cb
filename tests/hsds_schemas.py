"""The official HSDS 3.0 schemas (beside the project, in ``../shared/standards/hsds-3.0``) as
validators: draft 2020-12, formats checked, every ``$ref`` resolved against the
specification's own files. A test that asks for one is skipped where the specification is
not there."""

import json
from functools import cache

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import SHARED_DIR

HSDS = SHARED_DIR / "standards" / "hsds-3.0"
SCHEMA_DIR = HSDS / "schema"
# An Open Referral UK page of results: these fields, every one but ``contents`` required.
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
               "empty", "contents"}
# The single objects and lists the ORUK API answers with, by their compiled schema's name.
ORUK_COMPILED = ("service", "service_list", "organization", "organization_list",
                 "service_at_location", "service_at_location_list")


def _schema(name: str) -> dict:
    if not (SCHEMA_DIR / "openapi.json").exists():
        pytest.skip("the HSDS 3.0 specification is not beside the project")
    return json.loads((SCHEMA_DIR / name).read_text())


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json"))


def _checking(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


@cache
def validator(name: str) -> Draft202012Validator:
    """One of the specification's schema files: ``compiled/service.json``, ``taxonomy.json``."""
    return _checking(_schema(name))


@cache
def page_validator() -> Draft202012Validator:
    """The OpenAPI ``Page`` of results, its fields but ``contents`` required."""
    page = _schema("openapi.json")["components"]["schemas"]["Page"]
    return _checking({**page, "required": sorted(PAGE_FIELDS - {"contents"})})


@cache
def root_validator() -> Draft202012Validator:
    """What ``GET /`` answers: the API's version and profile."""
    get = _schema("openapi.json")["paths"]["/"]["get"]
    return _checking(get["responses"]["200"]["content"]["application/json"]["schema"])


def oruk_validators() -> dict[str, Draft202012Validator]:
    """A validator for each kind of answer the ORUK API gives, by kind (``"service"``,
    ``"page"``, ``"root"``, …)."""
    found = {kind: validator(f"compiled/{kind}.json") for kind in ORUK_COMPILED}
    found.update(taxonomy=validator("taxonomy.json"),
                 taxonomy_term=validator("taxonomy_term.json"),
                 page=page_validator(), root=root_validator())
    return found


def problems(checking: Draft202012Validator, instance, where="") -> list[str]:
    """What is wrong with ``instance``, one line each (``where`` first when given)."""
    errors = sorted(checking.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{where} {list(e.absolute_path)}: {e.message}".lstrip() for e in errors]


def assert_valid(name: str, instance) -> None:
    """``instance`` is valid against the schema file ``name`` (see ``validator``)."""
    assert problems(validator(name), instance) == []
