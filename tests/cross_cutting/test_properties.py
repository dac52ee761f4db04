"""Properties of every class (hypothesis): strict JSON and no secret, whatever the input.

Each property is parametrized over every class of the tree; instances are drawn from the
recipes of ``tests.strategies`` (and now and then the class's sample), with hostile
``details`` and secrets planted anywhere.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from errorkit import exceptions as ek
from errorkit import safety
from errorkit.safety import MAX_STRING_LENGTH
from tests.samples import SAMPLES
from tests.strategies import (
    CLASS_IDS,
    CLASSES,
    LEGAL_URL,
    PER_CLASS_JSON,
    PER_CLASS_MESSAGE,
    PER_CLASS_SECRETS,
    PER_NAME_CLASS,
    RECIPES,
    SMALL,
    Unprintable,
    _deep,
    _strings,
    dirty_urls,
    errors,
    free_texts,
    hostile,
    messages,
    plantings,
    secrets,
    small_hostile,
)

if TYPE_CHECKING:
    from collections.abc import Callable


def test_every_class_has_a_recipe() -> None:
    """Every class in the tree has a recipe (and a sample), so every property covers it."""
    assert set(RECIPES) == set(CLASSES)
    assert set(SAMPLES) == set(CLASSES)


# --------------------------------------------------------------------------- strict JSON


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
@PER_CLASS_JSON
@given(data=st.data())
def test_to_dict_is_strict_json_for_any_details(cls: type[ek.Error], data: st.DataObject) -> None:
    """Whatever the details hold, ``to_dict()`` dumps as strict JSON, bounded and stable."""
    error = data.draw(errors(cls))
    payload = error.to_dict()
    text = json.dumps(payload, allow_nan=False)
    assert json.loads(text) == payload
    assert list(payload)[:3] == ["code", "message", "details"]
    assert all(len(item) <= MAX_STRING_LENGTH for item in _strings(payload))
    assert error.to_dict() == payload
    assert safety.json_safe(payload["details"]) == payload["details"]
    assert str(error) == error.message
    assert error.message
    assert repr(error).startswith(cls.__name__ + "(")


def _is_pair(item: object) -> bool:
    """Tell whether a details item is a ``(key, value)`` tuple or list."""
    return isinstance(item, (tuple, list)) and len(item) == 2


@SMALL
@given(items=st.lists(small_hostile, min_size=1, max_size=4))
def test_details_list_of_non_pairs_is_kept_whole(items: list[Any]) -> None:
    """A details list is read as pairs only when every item is a (key, value) tuple or list."""
    assume(not all(_is_pair(item) for item in items))
    error = ek.Error("m", details=items)  # type: ignore[arg-type]
    expected = safety.json_safe({"value": items}, redact=False)
    assert safety.json_safe(error.details, redact=False) == expected
    json.dumps(error.to_dict(), allow_nan=False)


_NAMED: dict[type[ek.Error], Callable[[Any], ek.Error]] = {
    ek.AccountNotFoundError: lambda name: ek.AccountNotFoundError(name, [name]),
    ek.AccountExistsError: ek.AccountExistsError,
    ek.AccountInUseError: lambda name: ek.AccountInUseError(name, [name]),
    ek.ProjectNotFoundError: lambda name: ek.ProjectNotFoundError(name, [name]),
    ek.MissingAPIKeyError: lambda name: ek.MissingAPIKeyError(name, name),
    ek.NoRegisteredProviderError: ek.NoRegisteredProviderError,
    ek.ToolNotFoundError: ek.ToolNotFoundError,
}
NAME_CLASSES = [cls for cls in CLASSES if RECIPES[cls].slot == "name"]


def test_every_name_class_has_a_named_builder() -> None:
    """Every class whose message is composed from names is covered by the next property."""
    assert set(_NAMED) == set(NAME_CLASSES)


@pytest.mark.parametrize("cls", NAME_CLASSES, ids=[cls.__name__ for cls in NAME_CLASSES])
@PER_NAME_CLASS
@given(
    name=st.one_of(
        st.builds(Unprintable),
        st.builds(
            _deep, st.sampled_from(["list", "dict", "tuple"]), st.integers(1500, 10_000), st.none()
        ),
        hostile,
    )
)
def test_composed_message_constructors_never_raise(cls: type[ek.Error], name: Any) -> None:
    """A name that cannot be printed still gives an error: constructors never raise on odd input."""
    error = _NAMED[cls](name)
    assert str(error)
    json.dumps(error.to_dict(), allow_nan=False)


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
@PER_CLASS_SECRETS
@given(data=st.data())
def test_planted_secret_never_leaks(cls: type[ek.Error], data: st.DataObject) -> None:
    """A secret planted at any depth of any context field never shows; its neighbours survive."""
    secret = data.draw(secrets)
    planted = data.draw(plantings(secret))
    recipe = RECIPES[cls]
    message = data.draw(messages) if recipe.slot == "context" else ""
    error = recipe.build(data.draw, planted.payload, message)
    payload = error.to_dict()
    if recipe.slot == "context":
        assert secret not in json.dumps(payload)
        assert secret not in str(error)
        assert secret not in repr(error)
    else:
        # The payload is a name the caller's message is made of: masked wherever it stands.
        assert secret not in json.dumps(payload["details"])
        assert secret not in str(error)
    if recipe.slot != "message" and planted.depth <= 40:
        assert planted.survives(payload["details"])


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
@PER_CLASS_MESSAGE
@given(data=st.data())
def test_secret_in_caller_message_is_masked_in_to_dict(
    cls: type[ek.Error], data: st.DataObject
) -> None:
    """A credential in the caller's own message is masked everywhere, ``str()`` included."""
    secret = data.draw(secrets)
    free = data.draw(free_texts(secret))
    error = RECIPES[cls].build(data.draw, data.draw(small_hostile), free.text)
    payload = error.to_dict()
    assert secret not in json.dumps(payload)
    assert secret not in str(error)
    assert secret not in repr(error)
    if cls is ek.Error:
        assert payload["message"].startswith(free.before + " ")
        assert payload["message"].endswith(" " + free.after)


@SMALL
@given(
    data=st.data(),
    secret=secrets,
    cls=st.sampled_from([ek.APIError, ek.ServerError, ek.APIConnectionError, ek.ProviderError]),
)
def test_request_url_is_masked_as_a_url(
    data: st.DataObject, secret: str, cls: type[ek.Error]
) -> None:
    """A ``request_url`` is masked in ``to_dict()`` exactly as ``redact_url`` masks it."""
    dirty = data.draw(dirty_urls(secret, LEGAL_URL))
    make: Callable[..., ek.Error] = cls
    if cls is ek.ProviderError:
        error = make("acme", 500, request_url=dirty.url)
    elif cls is ek.APIError:
        error = make("m", status_code=500, request_url=dirty.url)
    else:
        error = make(request_url=dirty.url)
    assert error.to_dict()["details"]["request_url"] == dirty.expected
