"""One way for every HTML form to answer an empty or invalid submission.

The form is shown again, as it was filled in, with status 422: an error summary at the top
links to each field, each field carries its own message (``macros/forms.html``), and the page
title starts with "Error:" (``base.html``). Handlers build the ``errors`` mapping here:

- ``missing(values, {"name": "Enter the team's name"})`` for the fields that were left empty;
- ``field_errors(exc, default="name")`` for a refusal from a command: the fields it names in
  ``LinkwellError.errors`` (``{"field": ...}``), or the ``default`` field when it names none,
  so every message has a field to link to;

and answer with ``invalid(request, template, context, errors)``.
"""

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse

from linkwell.errors import LinkwellError
from linkwell.web.templating import templates

UNPROCESSABLE = 422


def missing(values: Mapping, required: Mapping[str, str]) -> dict[str, str]:
    """The message for each required field that is absent or only spaces, in form order."""
    errors = {}
    for name, message in required.items():
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            errors[name] = message
    return errors


def field_errors(exc: LinkwellError, default: str, *, messages: bool = False
                 ) -> dict[str, str]:
    """The fields a refusal names, each with its message; ``default`` when it names none.

    The message is the refusal's ``detail``, or with ``messages=True`` each field's own
    ``message`` (for commands that word one sentence per field).
    """
    errors: dict[str, str] = {}
    for item in exc.errors:
        if isinstance(item, dict) and item.get("field"):
            text = item.get("message") if messages else None
            errors.setdefault(str(item["field"]), str(text or exc.detail))
    return errors or {default: exc.detail}


def invalid(request: Request, template: str, context: dict, errors: Mapping[str, str], *,
            status: int = UNPROCESSABLE) -> HTMLResponse:
    """The same form again, with what was entered (``context["values"]``) and the errors."""
    return templates.TemplateResponse(request, template, {**context, "errors": dict(errors)},
                                      status_code=status)
