"""A project's application form is JSON Schema (draft 2020-12): the page renders it, the server holds
every submission to it. No I/O.

Errors name the field as the API does everywhere (`form.phone`, `form.items[2].amount`), one entry
per bad field, in words: the page shows each beside its field.
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from functions.shared.errors import FieldError, ValidationFailed

# What a form may hold at most, whatever its schema says: a form is a few dozen fields, and this keeps
# a hostile schema or answer from costing the function its memory.
MAX_FORM_BYTES = 64 * 1024

_MESSAGES = {
    "required": "is required",
    "type": "has the wrong type",
    "pattern": "is not in the expected format",
    "maxLength": "is too long",
    "minLength": "is too short",
    "enum": "is not one of the allowed values",
    "minimum": "is too small",
    "maximum": "is too large",
    "additionalProperties": "is not a field of this form",
    "format": "is not in the expected format",
}


def check_schema(schema: Any, field: str = "content.form") -> None:
    """A project's form must be a valid draft 2020-12 schema of an object (checked when it is saved)."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise ValidationFailed([FieldError(field, "must be a JSON Schema of an object")])
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise ValidationFailed([FieldError(f"{field}{where}", f"is not valid JSON Schema: {error.message}")]) from None


def validate(schema: dict[str, Any] | None, answers: Any, field: str = "form") -> dict[str, Any]:
    """The answers, if they satisfy the schema; else 422 naming each bad field."""
    if not isinstance(answers, dict):
        raise ValidationFailed([FieldError(field, "must be an object")])
    validator = Draft202012Validator(schema or {"type": "object"}, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors: dict[str, FieldError] = {}
    properties = (schema or {}).get("properties") or {}
    for error in sorted(validator.iter_errors(answers), key=lambda e: list(map(str, e.absolute_path))):
        parts = list(error.absolute_path)
        if error.validator == "required":
            parts.append(error.message.split("'")[1])  # "'phone' is a required property"
        elif error.validator == "additionalProperties" and not parts:
            for name in (n for n in answers if n not in properties):
                errors.setdefault(f"{field}.{name}", FieldError(f"{field}.{name}", _MESSAGES["additionalProperties"]))
            continue
        path = field + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
        message = _MESSAGES.get(str(error.validator), error.message)
        title = _title(schema, parts)
        errors.setdefault(path, FieldError(path, f"{title}: {message}" if title else message))
    if errors:
        raise ValidationFailed(list(errors.values()))
    return answers


def _title(schema: dict[str, Any] | None, path) -> str | None:
    """The field's title in the schema (联系电话), so the message reads as the form does."""
    node: Any = schema or {}
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
        else:
            node = (node.get("properties") or {}).get(part, {}) if isinstance(node, dict) else {}
    return node.get("title") if isinstance(node, dict) else None
