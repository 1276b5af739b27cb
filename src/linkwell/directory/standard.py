"""The HSDS 3.0 tables and fields, as the standard names and types them (pure data, no I/O).

One place that lists every HSDS table (in the datapackage's order), its CSV file name and each
field's kind, so that the models, the JSON serialiser, the CSV reader/writer and the importer's
per-field checks agree. It mirrors ``schema/*.json`` of Open Referral HSDS 3.0; the list is written
out here because the project must work on a machine without the specification files (and a
tabular datapackage's ``datapackage.json`` may be missing).

Field kinds: ``id`` and ``ref`` (UUID strings), ``string``, ``uri``, ``email`` (strings with
a JSON Schema ``format``), ``number``, ``date``, ``time``, ``datetime`` and ``enum``.
"""

from dataclasses import dataclass

STRING_KINDS = frozenset({"id", "ref", "string", "uri", "email", "enum"})


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "string"
    # Required in every HSDS JSON object (JSON Schema ``required``).
    required: bool = False
    # Required in the tabular (CSV) form only (``tabular_required``): in nested JSON the value
    # comes from the enclosing object.
    tabular_required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    fields: tuple[Field, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


ENUMS = {
    "status": ("active", "inactive", "defunct", "temporarily closed"),
    "location_type": ("physical", "postal", "virtual"),
    "address_type": ("physical", "postal", "virtual"),
    "wkst": ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
    "freq": ("WEEKLY", "MONTHLY"),
}


def _table(name: str, path: str, spec: str) -> Table:
    """Build a table from ``"name:kind! other:kind^ ..."``: ``!`` required, ``^`` tabular only."""
    fields = []
    for token in spec.split():
        required = token.endswith("!")
        tabular = token.endswith("^")
        token = token.rstrip("!^")
        field_name, _, kind = token.partition(":")
        kind = kind or "string"
        fields.append(Field(field_name, kind, required, tabular,
                            ENUMS[field_name] if kind == "enum" else ()))
    return Table(name, path, tuple(fields))


# In the order of ``datapackage_metadata.order`` in the HSDS 3.0 schemas.
TABLES: dict[str, Table] = {t.name: t for t in (
    _table("organization", "organizations.csv",
           "id:id name! alternate_name description! email:email website:uri tax_status tax_id "
           "year_incorporated:number legal_status logo uri:uri parent_organization_id:ref"),
    _table("program", "programs.csv",
           "id:id organization_id:ref^ name! alternate_name description!"),
    _table("service", "services.csv",
           "id:id organization_id:ref^ program_id:ref name! alternate_name description url:uri "
           "email:email status:enum! interpretation_services application_process "
           "fees_description wait_time fees accreditations eligibility_description "
           "minimum_age:number maximum_age:number assured_date:date assurer_email:email "
           "licenses alert last_modified:datetime"),
    _table("attribute", "attributes.csv",
           "id:id link_id:ref^ taxonomy_term_id:ref^ link_type link_entity^ value"),
    _table("service_at_location", "service_at_location.csv",
           "id:id service_id:ref^ location_id:ref^ description"),
    _table("location", "locations.csv",
           "id:id location_type:enum! url:uri organization_id:ref name alternate_name "
           "description transportation latitude:number longitude:number external_identifier "
           "external_identifier_type"),
    _table("phone", "phones.csv",
           "id:id location_id:ref service_id:ref organization_id:ref contact_id:ref "
           "service_at_location_id:ref number! extension:number type description"),
    _table("contact", "contacts.csv",
           "id:id organization_id:ref service_id:ref service_at_location_id:ref location_id:ref "
           "name title department email:email"),
    _table("address", "addresses.csv",
           "id:id location_id:ref attention address_1! address_2 city! region state_province! "
           "postal_code! country! address_type:enum!"),
    _table("schedule", "schedules.csv",
           "id:id service_id:ref location_id:ref service_at_location_id:ref valid_from:date "
           "valid_to:date dtstart:date timezone:number until:date count:number wkst:enum "
           "freq:enum interval:number byday byweekno bymonthday byyearday description "
           "opens_at:time closes_at:time schedule_link:uri attending_type notes"),
    _table("funding", "funding.csv", "id:id organization_id:ref service_id:ref source"),
    _table("service_area", "service_areas.csv",
           "id:id service_id:ref name description extent extent_type uri"),
    _table("required_document", "required_documents.csv",
           "id:id service_id:ref document uri:uri"),
    _table("language", "languages.csv",
           "id:id service_id:ref location_id:ref phone_id:ref name code note"),
    _table("accessibility", "accessibility.csv",
           "id:id location_id:ref description details url:uri"),
    _table("taxonomy_term", "taxonomy_terms.csv",
           "id:id code name! description! parent_id:ref taxonomy language taxonomy_id:ref "
           "term_uri:uri"),
    _table("metadata", "metadata.csv",
           "id:id resource_id:ref^ resource_type^ last_action_date:date! last_action_type! "
           "field_name! previous_value! replacement_value! updated_by!"),
    _table("meta_table_description", "meta_table_descriptions.csv",
           "id:id name language character_set"),
    _table("cost_option", "cost_options.csv",
           "id:id service_id:ref^ valid_from:date valid_to:date option currency amount:number "
           "amount_description"),
    _table("organization_identifier", "organization_identifiers.csv",
           "id:id organization_id:ref^ identifier_scheme identifier_type! identifier!"),
    _table("taxonomy", "taxonomies.csv", "id:id name! description! uri:uri version"),
)}

# Parents before children, so that foreign keys hold at every step of an import.
IMPORT_ORDER: tuple[str, ...] = (
    "taxonomy", "taxonomy_term", "organization", "program", "organization_identifier",
    "service", "location", "service_at_location", "address", "phone", "contact", "schedule",
    "funding", "service_area", "required_document", "language", "accessibility",
    "cost_option", "attribute", "metadata", "meta_table_description",
)
