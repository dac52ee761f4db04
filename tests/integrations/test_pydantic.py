"""The pydantic integration: ``ErrorPayload`` and wrapping real ``ValidationError``s."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from typing import Any

import pydantic
import pytest

from errorkit import exceptions as ek
from errorkit.integrations.pydantic import ErrorPayload
from tests.samples import all_error_classes, sample

CLASSES = all_error_classes()


class Forecast(pydantic.BaseModel):
    """What an LLM was asked to produce."""

    city: str
    high_celsius: float
    days: int = pydantic.Field(ge=1, le=14)


def _validation_error(text: str) -> pydantic.ValidationError:
    """Return the real ValidationError pydantic raises for ``text``."""
    with pytest.raises(pydantic.ValidationError) as caught:
        Forecast.model_validate_json(text)
    return caught.value


# --- ErrorPayload ---------------------------------------------------------------------------


def test_json_schema_describes_to_dict() -> None:
    """The schema is a JSON object schema requiring code, message and details."""
    schema = ErrorPayload.model_json_schema()
    json.dumps(schema, allow_nan=False)
    assert schema["title"] == "ErrorPayload"
    assert schema["type"] == "object"
    assert schema["required"] == ["code", "message", "details"]
    assert list(schema["properties"]) == ["code", "message", "details", "attempts"]
    assert schema["properties"]["code"]["type"] == "string"
    assert schema["properties"]["code"]["minLength"] == 1
    assert schema["properties"]["details"]["type"] == "object"
    assert all(prop.get("description") for prop in schema["properties"].values())


@pytest.mark.parametrize("cls", CLASSES, ids=[cls.__name__ for cls in CLASSES])
def test_every_payload_validates_and_rebuilds(cls: type[ek.Error]) -> None:
    """Every class's ``to_dict()``, sent as JSON, validates and rebuilds the same error."""
    error = sample(cls)
    payload = ErrorPayload.model_validate_json(json.dumps(error.to_dict()))
    assert payload == ErrorPayload.from_error(error)
    assert payload.model_dump(mode="json", exclude_none=True) == error.to_dict()
    rebuilt = payload.to_error()
    assert type(rebuilt) is cls
    assert rebuilt.to_dict() == error.to_dict()


def test_attempts_only_for_region_probes() -> None:
    """``attempts`` is None for most errors and the probe list for region probes."""
    assert ErrorPayload.from_error(ek.ServerError()).attempts is None
    probe = ek.RegionProbeError("no region", attempts=[("us", 401, "no")])
    assert ErrorPayload.from_error(probe).attempts == [["us", 401, "no"]]


def test_none_values_in_details_survive() -> None:
    """Detail values that are None stay in the payload and the rebuilt error."""
    error = ek.JQLSyntaxError("TypeError: boom")
    assert error.to_dict()["details"]["line_info"] is None
    assert ErrorPayload.from_error(error).to_error().to_dict() == error.to_dict()


def test_unknown_keys_are_ignored() -> None:
    """Keys a later version may add do not fail validation."""
    payload = ErrorPayload.model_validate(
        {"code": "X", "message": "m", "details": {}, "severity": "high"}
    )
    assert payload.model_dump() == {"code": "X", "message": "m", "details": {}, "attempts": None}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "m", "details": {}}, "code"),
        ({"code": "", "message": "m", "details": {}}, "code"),
        ({"code": "X", "message": None, "details": {}}, "message"),
        ({"code": "X", "message": "m", "details": ["x"]}, "details"),
        ({"code": "X", "message": "m"}, "details"),
        ({"code": "X", "message": "m", "details": {}, "attempts": "us"}, "attempts"),
    ],
)
def test_malformed_payloads_are_rejected(data: dict[str, Any], field: str) -> None:
    """A payload that is not the ``to_dict()`` shape fails validation on the right field."""
    with pytest.raises(pydantic.ValidationError) as caught:
        ErrorPayload.model_validate(data)
    assert {error["loc"][0] for error in caught.value.errors()} == {field}


# --- ParseError.from_validation_error -------------------------------------------------------


def test_from_validation_error_gives_correction_text() -> None:
    """A real ValidationError becomes a ParseError whose retry message lists the corrections."""
    exc = _validation_error('{"city": "Oslo", "high_celsius": "warm", "days": 30}')
    error = ek.ParseError.from_validation_error("openai", exc)
    assert type(error) is ek.ParseError
    assert (error.provider, error.original_exception, error.__cause__) == ("openai", exc, exc)
    assert error.retry_message() == (
        f"Your response failed schema validation:\n{exc}\n\n"
        "Please correct these issues and respond again."
    )
    text = error.retry_message()
    assert "high_celsius" in text
    assert "days" in text
    assert "less than or equal to 14" in text


def test_from_validation_error_keeps_default_message() -> None:
    """The wrapped error's message is the agent-facing default, not pydantic's text."""
    error = ek.ParseError.from_validation_error("openai", _validation_error('{"city": 1}'))
    assert str(error) == (
        "openai: response could not be parsed — likely a connector-side schema drift, "
        "retrying will not help. DO NOT retry; pick a different connector or report."
    )


def test_invalid_json_is_a_validation_error_too() -> None:
    """Output that is not JSON at all still gives the schema-validation correction text."""
    exc = _validation_error("Sure! Here is the forecast: sunny")
    text = ek.ParseError.from_validation_error("openai", exc).retry_message()
    assert text.startswith("Your response failed schema validation:\n")
    assert "Invalid JSON" in text


def test_wrapped_validation_error_serializes_and_pickles() -> None:
    """The wrapped error's ``to_dict()`` is JSON and it survives pickle with its payload."""
    error = ek.ParseError.from_validation_error("openai", _validation_error('{"city": 1}'))
    payload = error.to_dict()
    json.dumps(payload, allow_nan=False)
    clone = pickle.loads(pickle.dumps(error))
    assert clone.to_dict() == payload
    assert clone.original_exception is not None


def _parse_forecast(data: dict[str, Any]) -> Forecast:
    """The typical call site: validate, and raise a ParseError from a ValidationError."""
    try:
        return Forecast.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ek.ParseError.from_validation_error("anthropic", exc) from exc


def test_raise_from_validation_error() -> None:
    """Raised ``from`` the ValidationError, the ParseError carries the correction text."""
    with pytest.raises(ek.ParseError) as caught:
        _parse_forecast({"city": "Oslo"})
    assert isinstance(caught.value.__cause__, pydantic.ValidationError)
    assert "high_celsius" in caught.value.retry_message()


# --- imports stay lazy ----------------------------------------------------------------------


def _new_modules(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter; return the top-level modules it imported."""
    script = (
        f"import sys; before = set(sys.modules)\n{code}\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return {name.partition(".")[0] for name in out.split()}


OPTIONAL = {"pydantic", "pydantic_core", "structlog", "httpx", "httpcore", "requests", "urllib3"}


def test_import_errorkit_loads_no_optional_dependency() -> None:
    """``import errorkit`` (and its integrations package) loads none of the optional packages."""
    loaded = _new_modules("import errorkit, errorkit.integrations")
    assert not loaded & OPTIONAL


def test_retry_message_does_not_import_pydantic() -> None:
    """Problem details and ``retry_message()`` work without importing pydantic."""
    loaded = _new_modules(
        "import json, errorkit\n"
        "error = errorkit.ParseError('p', original_exception=json.JSONDecodeError('x', '', 0))\n"
        "assert 'no valid JSON object' in error.retry_message()\n"
        "assert errorkit.Error.from_problem_details(error.to_problem_details()).code == error.code"
    )
    assert not loaded & OPTIONAL


def test_payload_module_imports_pydantic() -> None:
    """Importing ``errorkit.integrations.pydantic`` is what loads pydantic."""
    assert "pydantic" in _new_modules("import errorkit.integrations.pydantic")


def test_all_is_sorted_and_resolves() -> None:
    """The module's ``__all__`` is sorted and every listed name exists."""
    from errorkit.integrations import pydantic as integration

    assert integration.__all__ == sorted(integration.__all__)
    assert all(hasattr(integration, name) for name in integration.__all__)
