"""RFC 9457 problem details: errorkit errors as ``application/problem+json`` documents.

An error becomes a document whose standard members are derived from it and whose
extension members carry what ``from_problem_details`` needs to rebuild it::

    type     "urn:errorkit:{code}"     the code kept exactly, so it inverts
    title    the class's short summary  its default message when that is a plain
                                        sentence, else its name in words
    status   the HTTP status            only when the error has one (100-599)
    detail   to_dict()["message"]       masked like every serialized form
    code     to_dict()["code"]          extension member
    details  to_dict()["details"]       extension member, JSON-safe, secrets masked
    attempts to_dict()["attempts"]      extension member, region probes only

Reading a document back picks the class by ``code`` (or a ``urn:errorkit:`` type),
else by ``status``; a document that names neither becomes a base ``Error`` keeping
its members in ``details``. Standard members of the wrong JSON type are ignored, as
RFC 9457 section 3.1 requires; a non-mapping document, one with no problem details
member at all, or malformed ``code`` / ``details`` members raise ``ValueError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar, cast

from errorkit.exceptions import APIError, Error

__all__ = [
    "PROBLEM_JSON_CONTENT_TYPE",
    "TYPE_PREFIX",
    "from_problem_details",
    "problem_title",
    "to_problem_details",
]

PROBLEM_JSON_CONTENT_TYPE: Final = "application/problem+json"
"""The media type of a problem details document (RFC 9457 section 6.1)."""

TYPE_PREFIX: Final = "urn:errorkit:"
"""The start of the ``type`` URI of every errorkit problem; the code follows it."""

E = TypeVar("E", bound=Error)

_STANDARD: Final = ("type", "title", "status", "detail", "instance")
_EXTENSIONS: Final = ("code", "details", "attempts")
# Words that make a class name read as the problem itself ("Account not found",
# "Invalid argument"), so the trailing "Error" is dropped from its title.
_CONDITION_FIRST: Final = frozenset({"Bad", "Empty", "Invalid", "Missing", "No"})
_CONDITION_LAST: Final = frozenset({"Exists", "Found", "Use"})
_WORD: Final = re.compile(r"OAuth|[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def problem_title(cls: type[Error]) -> str:
    """Return the short summary of an error class, used as the problem ``title``.

    The default message the class itself declares, when it is a plain sentence
    (no ``{field}``), else the class name in words, without "Error" when the name
    states the condition: ``AccountNotFoundError`` → "Account not found",
    ``ToolExecutionError`` → "Tool execution error".
    """
    default = vars(cls).get("default_message")  # an inherited one describes the parent
    if isinstance(default, str) and default and "{" not in default:
        return default
    words = _WORD.findall(cls.__name__)
    if len(words) > 1 and words[-1] == "Error":
        rest = words[:-1]
        if rest[0] in _CONDITION_FIRST or rest[-1] in _CONDITION_LAST or rest[-1].endswith("ed"):
            words = rest
    shown = [
        word
        if index == 0 or word == "OAuth" or (len(word) > 1 and word.isupper())
        else word.lower()
        for index, word in enumerate(words)
    ]
    return " ".join(shown)


def _http_status(value: object) -> int | None:
    """Return ``value`` when it is an int HTTP status (100-599), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    return None


def to_problem_details(error: Error) -> dict[str, Any]:
    """Return the problem details document for ``error`` (see the module docstring).

    The document is JSON-safe with secrets masked: every value comes from
    ``error.to_dict()``.
    """
    payload: Mapping[str, Any] = error.to_dict()
    document: dict[str, Any] = {
        "type": TYPE_PREFIX + payload["code"],
        "title": problem_title(type(error)),
    }
    status = _http_status(getattr(error, "status_code", None))
    if status is not None:
        document["status"] = status
    document["detail"] = payload["message"]
    document["code"] = payload["code"]
    document["details"] = payload["details"]
    if "attempts" in payload:
        document["attempts"] = payload["attempts"]
    return document


def _text_member(document: Mapping[str, Any], name: str) -> str | None:
    """Return a string member, or None when it is absent or not a string (RFC 9457 §3.1)."""
    value = document.get(name)
    return value if isinstance(value, str) else None


def _status(document: Mapping[str, Any]) -> int | None:
    """Return the ``status`` member when it is a JSON number holding an integer, else None."""
    value = document.get("status")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _code(document: Mapping[str, Any]) -> str | None:
    """Return the errorkit code: the ``code`` member, else one read from a URN ``type``."""
    if "code" in document:
        code = document["code"]
        if not isinstance(code, str) or not code:
            raise ValueError(f"problem details 'code' must be a non-empty str, not {code!r:.80}")
        return code
    kind = _text_member(document, "type")
    if kind is not None and kind.startswith(TYPE_PREFIX) and len(kind) > len(TYPE_PREFIX):
        return kind[len(TYPE_PREFIX) :]
    return None


def _details(document: Mapping[str, Any]) -> dict[Any, Any]:
    """Return the ``details`` extension member (a copy), checking that it is a mapping."""
    details = document.get("details")
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise ValueError(
            f"problem details 'details' must be a mapping, not {type(details).__name__}"
        )
    return dict(details)


def _foreign_members(document: Mapping[str, Any], *, skip: tuple[str, ...]) -> dict[Any, Any]:
    """Return the members a foreign document carries beyond ``skip``, to keep in details."""
    return {key: value for key, value in document.items() if key not in skip}


def from_problem_details(document: Mapping[str, Any], cls: type[E]) -> E:
    """Rebuild an error of ``cls`` (or a subclass) from a problem details document.

    The class is the one registered for the ``code`` member (or the code in a
    ``urn:errorkit:`` ``type``), as ``Error.from_dict`` picks it; an unknown code
    with an error status gives the class for that status, keeping the code. A
    document without a code gives the class for its ``status`` (400-599), with the
    other members kept in ``details``; one with neither gives a base ``Error``.
    The message is ``detail``, else ``title``, else the class's title.

    Raises:
        ValueError: When ``document`` is not a mapping, has no problem details
            member, has a malformed ``code`` or ``details``, or describes an error
            that is not a ``cls``.
    """
    if not isinstance(document, Mapping):
        raise ValueError(
            f"problem details document must be a mapping, not {type(document).__name__}"
        )
    if not any(name in document for name in (*_STANDARD, *_EXTENSIONS)):
        raise ValueError(
            "not a problem details document: it has none of the members "
            + ", ".join(map(repr, (*_STANDARD, "code")))
        )
    code = _code(document)
    status = _status(document)
    usable_status = status if status is not None and 400 <= status <= 599 else None
    text = _text_member(document, "detail") or _text_member(document, "title")

    if code is not None:
        details = _details(document)
        attempts = document.get("attempts")
        if attempts is not None and "attempts" not in details:
            details["attempts"] = attempts
        target = Error.class_for_code(code)
        if target is None:  # a code errorkit does not know: the status may still tell the class
            by_status = None if usable_status is None else Error.class_for_status(usable_status)
            target = by_status if by_status is not None and issubclass(by_status, cls) else cls
        if not issubclass(target, cls):
            raise ValueError(
                f"problem code {code!r} belongs to {target.__name__}, which is not a {cls.__name__}"
            )
        if usable_status is not None and issubclass(target, APIError):
            details = {"status_code": usable_status, **details}
        error = target.from_dict(
            {"code": code, "message": text or problem_title(target), "details": details}
        )
        return cast("E", error)

    if usable_status is not None:
        by_status = Error.class_for_status(usable_status)
        if not issubclass(by_status, cls):
            raise ValueError(
                f"problem status {usable_status} belongs to {by_status.__name__}, "
                f"which is not a {cls.__name__}"
            )
        template = by_status.default_message or "HTTP {status_code} error"
        message = text or template.format(status_code=usable_status)
        details = {
            "status_code": usable_status,
            **_foreign_members(document, skip=("status", "detail", "details")),
            **_details(document),
        }
        details["status_code"] = usable_status
        error = by_status.from_dict(
            {"code": by_status.code, "message": message, "details": details}
        )
        return cast("E", error)

    if cls is not Error:
        raise ValueError(
            f"problem details document names no errorkit code and no error status, "
            f"so it is not a {cls.__name__}"
        )
    details = {**_foreign_members(document, skip=("detail", "details")), **_details(document)}
    return cls.from_dict({"code": Error.code, "message": text or "", "details": details})
