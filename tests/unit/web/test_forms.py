"""The one form-error helper: which fields are missing, and where a refusal's message goes."""

from linkwell.errors import Conflict, InvalidInput
from linkwell.web import forms


def test_missing_lists_empty_required_fields_in_form_order():
    values = {"name": "  ", "email": "a@example.org", "roles": []}
    required = {"name": "Enter the name", "roles": "Choose a role", "email": "Enter an email"}
    assert forms.missing(values, required) == {"name": "Enter the name",
                                               "roles": "Choose a role"}


def test_missing_counts_an_absent_field_as_empty():
    assert forms.missing({}, {"code": "Enter the code"}) == {"code": "Enter the code"}


def test_a_refusal_naming_a_field_is_shown_beside_it():
    exc = InvalidInput("Enter the team's name.", field="name")
    assert forms.field_errors(exc, default="kind") == {"name": "Enter the team's name."}


def test_a_refusal_naming_no_field_goes_to_the_default_field():
    assert forms.field_errors(Conflict("Changed by someone else"), default="title") == {
        "title": "Changed by someone else"}


def test_per_field_messages_are_used_when_the_command_words_them():
    exc = InvalidInput("2 problems", errors=[{"field": "name", "message": "Enter the name"},
                                             {"field": "email", "message": "Enter an email"}])
    assert forms.field_errors(exc, "name", messages=True) == {"name": "Enter the name",
                                                               "email": "Enter an email"}
    assert forms.field_errors(exc, "name") == {"name": "2 problems", "email": "2 problems"}
