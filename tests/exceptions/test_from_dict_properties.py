"""Properties of ``Error.from_dict`` (hypothesis): the round trip and what it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from errorkit import exceptions as ek
from tests.strategies import (
    CLASS_IDS,
    CLASSES,
    PER_CLASS_FROM_DICT,
    SMALL,
    errors,
    names,
    small_hostile,
    unknown_codes,
)


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
@PER_CLASS_FROM_DICT
@given(data=st.data())
def test_from_dict_round_trip_keeps_type_and_payload(
    cls: type[ek.Error], data: st.DataObject
) -> None:
    """``Error.from_dict(e.to_dict())`` rebuilds the same class and payload, also via JSON."""
    error = data.draw(errors(cls))
    payload = error.to_dict()
    for given_payload in (payload, json.loads(json.dumps(payload, allow_nan=False))):
        rebuilt = ek.Error.from_dict(given_payload)
        assert type(rebuilt) is cls
        assert rebuilt.to_dict() == payload
        assert given_payload == payload
        json.dumps(rebuilt.to_dict(), allow_nan=False)
        assert str(rebuilt)


@SMALL
@given(code=unknown_codes, message=names, details=small_hostile)
def test_from_dict_unknown_code_gives_base_error(code: str, message: str, details: Any) -> None:
    """An unknown code rebuilds a base ``Error`` that keeps the code and the payload."""
    payload = ek.Error(message, code, {"value": details}).to_dict()
    rebuilt = ek.Error.from_dict(json.loads(json.dumps(payload)))
    assert type(rebuilt) is ek.Error
    assert rebuilt.code == code
    assert rebuilt.to_dict() == payload


_not_str = st.one_of(
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.text(), max_size=2),
    st.dictionaries(st.text(), st.integers(), max_size=2),
)


@st.composite
def malformed_payloads(draw: st.DrawFn) -> Any:
    """Draw a payload ``from_dict`` must refuse: not a mapping, a key missing, a wrong type."""
    valid: dict[str, Any] = dict(
        draw(errors(draw(st.sampled_from(CLASSES)), small_hostile)).to_dict()
    )
    flaw = draw(st.sampled_from(["not-a-mapping", "missing", "code", "message", "details"]))
    if flaw == "not-a-mapping":
        return draw(
            st.one_of(
                st.none(),
                st.integers(),
                st.text(),
                st.lists(st.integers()),
                st.just(list(valid.items())),
            )
        )
    if flaw == "missing":
        del valid[draw(st.sampled_from(["code", "message"]))]
    elif flaw == "code":
        valid["code"] = draw(_not_str)
    elif flaw == "message":
        valid["message"] = draw(_not_str)
    else:
        valid["details"] = draw(
            st.one_of(st.integers(), st.text(), st.lists(st.integers(), max_size=2))
        )
    return valid


@SMALL
@given(payload=malformed_payloads())
def test_from_dict_rejects_malformed_payloads(payload: Any) -> None:
    """A malformed payload raises ValueError."""
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError message is fine
        ek.Error.from_dict(payload)
