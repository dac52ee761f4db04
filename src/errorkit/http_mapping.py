"""Turn HTTP statuses, headers, responses and transport failures into errorkit errors.

Sans-I/O: no HTTP client is imported. The helpers work on ints, header mappings
(looked up case-insensitively), bodies and duck-typed responses (``.status_code``,
``.headers``, ``.json()``/``.text``, optionally ``.request.method``/``.request.url``),
so httpx and requests responses both work. Functions *return* the error and the
caller writes ``raise ... from exc``; only ``raise_for_status`` raises.

Status → class (exact status first, then the range, then ``APIError``):

    400, 422    BadRequestError
    401         AuthenticationError
    403         PermissionDeniedError
    404         NotFoundError
    409         ConflictError
    429         RateLimitError
    500–599     ServerError
    other ≥ 400 APIError                  message "HTTP {status} error" by default
    < 400       ValueError                not an error status: a programmer error

Every status reads ``retry_after`` from the headers (``Retry-After`` on a 503 or a 413
counts too) and the server's own verdict, ``x-should-retry`` or ``stripe-should-retry``
(``true``/``false``), as ``retryable=``. Without a verdict the status decides: 408, 425,
429 and every 5xx but 501 are retryable.

Connector statuses (agent-facing default messages, never a custom one):

    401, 403    UnauthorizedError
    402         PaymentRequiredError
    429         ConnectorRateLimitError   retry_after from the headers, else 60.0
    other       ProviderError             timeouts are 408, unreachable hosts 503

A message errorkit composes never contains a URL or a credential: text taken from a
response body goes through ``redact_text`` and is cut to 200 characters. The raw
request URL is kept on the error, whose ``to_dict()`` redacts it.
"""

from __future__ import annotations

import time

# ``_collections_abc`` is what ``collections.abc`` re-exports, without importing ``collections``.
from _collections_abc import Iterable, Mapping
from _operator import itemgetter

from errorkit import redaction as _redaction
from errorkit._build import _KEPT, Later, _rewaited
from errorkit._coerce import NAME_MEMOS as _NAME_MEMOS
from errorkit._coerce import http_status
from errorkit.exceptions import (
    DIRECTIVE_UNREACHABLE,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CatalogNotFoundError,
    ConnectorError,
    ConnectorRateLimitError,
    Error,
    InvalidParameterError,
    JQLSyntaxError,
    NotFoundError,
    ParseError,
    PaymentRequiredError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServerError,
    UnauthorizedError,
    _DefaultStatusError,
)
from errorkit.redaction import _remember
from errorkit.safety import redact_text

# The status registry itself (``Error.class_for_status`` reads it first), read without a call.
_BY_STATUS: Final = Error._by_status
# errorkit's classes whose status is optional, by their own status: built for that status, they
# are called without it (the same error, by the cheaper call). A class registered later for a
# status is not one of these, and gets the status passed.
_OWN_STATUS: Final = {
    status: cls
    for status, cls in _BY_STATUS.items()
    if issubclass(cls, _DefaultStatusError) and cls.status_code == status
}

# Not imported from typing: at run time this module imports only what it uses (``json``,
# ``datetime``, ``email.utils`` and ``functools`` are imported on first use), so
# ``import errorkit`` stays cheap.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from json import JSONDecoder
    from types import TracebackType
    from typing import Any, Final, Literal, ParamSpec, Protocol, TypeAlias, TypeVar, overload

    from typing_extensions import Self, Unpack

    from errorkit.exceptions import RequestContext

    _MappedError: TypeAlias = APIError | APIConnectionError | ConnectorError
    _ErrorTarget: TypeAlias = (
        type[_MappedError] | Callable[[Any], type[_MappedError] | _MappedError]
    )
    _Kind: TypeAlias = Literal["timeout", "connection", "response", "max_retry"]
    _P = ParamSpec("_P")
    _R = TypeVar("_R")
    _E = TypeVar("_E", bound=BaseException)

    class _ResponseLike(Protocol):
        """What the response helpers need: a status. Everything else is read defensively."""

        @property
        def status_code(self) -> int: ...

else:

    def overload(func: object) -> object:
        """Stand in for ``typing.overload`` at run time, where ``typing`` is not imported."""
        return func


__all__ = [
    "connector_error_for_status",
    "connector_error_for_timeout",
    "connector_error_for_transport",
    "connector_error_from_response",
    "error_class_for_status",
    "error_for_status",
    "error_from_exception",
    "error_from_response",
    "find_error",
    "map_exceptions",
    "parse_retry_after",
    "raise_for_status",
    "retry_after_from_headers",
]


# ---------------------------------------------------------------------------
# Status codes
# ---------------------------------------------------------------------------


# The statuses of the table get ``Literal`` overloads, so a checker knows that
# ``error_class_for_status(404)`` is ``type[NotFoundError]``; see ``find_error`` for ``overload``.
@overload
def error_class_for_status(status_code: Literal[400, 422]) -> type[BadRequestError]: ...  # noqa: D103
@overload
def error_class_for_status(status_code: Literal[401]) -> type[AuthenticationError]: ...  # noqa: D103, F811
@overload
def error_class_for_status(status_code: Literal[403]) -> type[PermissionDeniedError]: ...  # noqa: D103, F811
@overload
def error_class_for_status(status_code: Literal[404]) -> type[NotFoundError]: ...  # noqa: D103, F811
@overload
def error_class_for_status(status_code: Literal[429]) -> type[RateLimitError]: ...  # noqa: D103, F811
@overload
def error_class_for_status(  # noqa: D103, F811
    status_code: Literal[500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511],
) -> type[ServerError]: ...
@overload
def error_class_for_status(status_code: int) -> type[APIError]: ...  # noqa: D103, F811
def error_class_for_status(status_code: int) -> type[APIError]:  # noqa: F811
    """Return the ``APIError`` class for an HTTP error status (see the module table).

    Args:
        status_code: An HTTP status of at least 400; a numeric string is converted.

    Raises:
        ValueError: When the status is below 400 (not an error) or not a number.
    """
    return Error.class_for_status(status_code)


def error_for_status(
    status_code: int,
    message: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    response_body: Any = None,
    request_method: str | None = None,
    request_url: str | None = None,
    request_params: Mapping[str, Any] | None = None,
    request_body: Any = None,
    provider: str | None = None,
) -> APIError:
    """Build the typed error for an HTTP error status.

    The message is the caller's, else the text the body carries (a dict body's
    ``error``/``message``/``detail``, or the start of a text body), redacted and cut
    to 200 characters, else the class default. ``request_id`` comes from the
    ``x-request-id`` or ``request-id`` header, ``retry_after`` from the retry headers
    (for every status), and ``retryable`` from the server's ``x-should-retry`` or
    ``stripe-should-retry`` header when it says ``true`` or ``false``.

    Args:
        status_code: An HTTP status of at least 400.
        message: The message to use instead of one derived from the body.
        headers: The response headers, any mapping (looked up case-insensitively).
        response_body: The decoded response body (dict, list, text, bytes, ...).
        request_method: The request's HTTP method.
        request_url: The request URL, kept raw on the error (``to_dict`` redacts it).
        request_params: The request's query parameters.
        request_body: The request body.
        provider: The provider that answered.

    Raises:
        ValueError: When the status is below 400 or not a number.
    """
    cls = _BY_STATUS.get(status_code) if type(status_code) is int else None
    if cls is None:  # a string, an int subclass, a status of a range or none at all
        status_code = http_status(status_code)
        cls = Error.class_for_status(status_code)
    hint = None
    if type(headers) is dict and headers:
        try:
            plan = _PLANS[tuple(headers)]
        except KeyError:
            plan = _plan(headers)
        except Exception:  # a key whose hash or comparison fails: the general reading
            plan = None
        if plan is None:
            request_id, retry_after, hint = _header_facts(_from_dict(headers))
        else:
            identity_key, wait_key, other_key = plan
            identity = headers.get(identity_key)
            wait = headers.get(wait_key)
            if (
                type(wait) is str
                and other_key is _ABSENT
                and (identity is None or type(identity) is str)
            ):  # the usual headers: a Retry-After and maybe a request id, as text
                request_id = identity or None
                retry_after = _WAITS.get(wait)  # ``_retry_after_text``'s memo, without a call
                if retry_after is None and wait:
                    retry_after = _retry_after_text(wait)
            else:
                request_id, retry_after, hint = _planned_facts(
                    headers, identity, wait, headers.get(other_key)
                )
    elif headers:
        request_id, retry_after, hint = _header_facts(_lowered_headers(headers))
    else:
        request_id = retry_after = None
    if (
        response_body is None
        and hint is None
        and request_method is None
        and request_url is None
        and request_params is None
        and request_body is None
        and provider is None
    ):  # nothing but what the headers gave: the fewer keywords, the cheaper the call
        build: Callable[..., APIError] = cls
        if cls is _OWN_STATUS.get(status_code):
            return build(message or None, request_id=request_id, retry_after=retry_after)
        text = message or (f"HTTP {status_code} error" if cls is APIError else None)
        return build(text, status_code=status_code, request_id=request_id, retry_after=retry_after)
    return _mapped(
        cls,
        status_code,
        message,
        request_id,
        retry_after,
        hint,
        response_body,
        request_method,
        request_url,
        request_params,
        request_body,
        provider,
    )


def _mapped(
    cls: type[APIError],
    status: int,
    message: str | None,
    request_id: str | None,
    retry_after: float | None,
    hint: bool | None,
    response_body: Any,
    request_method: str | None,
    request_url: str | None,
    request_params: Mapping[str, Any] | None,
    request_body: Any,
    provider: str | None,
) -> APIError:
    """``error_for_status`` past the status and the headers: the message, then the error."""
    text = message or (None if response_body is None else _body_message(response_body))
    if not text and cls is APIError:
        text = f"HTTP {status} error"
    # The table's classes all take (message, *, status_code, **context), where None means
    # "not given"; a plain APIError needs a str message, which ``text`` is for it by now.
    build: Callable[..., APIError] = cls
    return build(
        text or None,
        status_code=status,
        response_body=response_body,
        request_method=request_method,
        request_url=request_url,
        request_params=request_params,
        request_body=request_body,
        provider=provider,
        request_id=request_id,
        retry_after=retry_after,
        retryable=hint,
    )


def _header_facts(headers: _Lowered) -> tuple[str | None, float | None, bool | None]:
    """Return the request id, the seconds to wait and the server's retry verdict."""
    request_id = headers.get("x-request-id") or headers.get("request-id")
    value = headers.get("retry-after")
    retry_after = None if value is None else _retry_after_text(value)
    if retry_after is None:
        retry_after = _retry_after(headers, None)
    if headers.keys().isdisjoint(_RETRY_HINT_HEADERS):
        return request_id, retry_after, None
    return request_id, retry_after, _retry_hint(headers)  # a server's own verdict


def _planned_facts(
    headers: dict[object, object], identity: object, wait: object, other_id: object
) -> tuple[str | None, float | None, bool | None]:
    """``_header_facts`` for the values a dict's plan found (see ``_PLANS``), whatever they are."""
    if (
        (identity is None or type(identity) is str)
        and (other_id is None or type(other_id) is str)
        and (wait is None or type(wait) is str)
    ):
        retry_after = None
        if wait:
            retry_after = _retry_after_text(wait)
        return identity or other_id or None, retry_after, None
    return _header_facts(_from_dict(headers))  # a value that is not text: the general reading


# ``Retry-After`` values of plain digits read so far (a server sends the same few).
_WAITS: dict[str, float] = {}


def _retry_after_text(value: str) -> float | None:
    """Read a ``Retry-After`` header value as ``parse_retry_after`` does: remembered, digits first.

    ``error_for_status`` looks a value up in ``_WAITS`` itself before calling this.
    """
    if type(value) is str:
        seconds = _WAITS.get(value)
        if seconds is not None:
            return seconds
    if value.isdigit() and value.isascii() and len(value) < 6:  # "30": the usual form
        seconds = float(value)
        if seconds <= _MAX_WAIT:
            if type(value) is str and len(_WAITS) < _MAX_LAYOUTS:
                _WAITS[value] = seconds
            return seconds
    return _retry_after_value(value, None)


# For a dict of headers, by its sequence of keys: the keys holding ``x-request-id``,
# ``retry-after`` and ``request-id`` (``_ABSENT`` for a missing one) when these and
# ``content-type`` are the only names of ``_HEADER_NAMES`` there, else None (the dict is
# read by ``_from_dict``). Which key answers a name is the choice ``_from_dict`` makes.
_PLANS: dict[tuple[object, ...], tuple[object, object, object] | None] = {}
_ABSENT: Final = object()  # a key no dict of headers holds
_PLANNED: Final = ("x-request-id", "retry-after", "request-id")


def _header_keys(keys: tuple[object, ...]) -> dict[str, object]:
    """The key holding each header errorkit reads, by lower-cased name.

    A name written more than one way is read from its lower-case key.
    """
    chosen: dict[str, object] = {}
    for key in keys:
        if isinstance(key, str):
            lower = key.lower()
            if lower in _HEADER_NAMES and (key == lower or lower not in chosen):
                chosen[lower] = key
    return chosen


def _plan(headers: dict[object, object]) -> tuple[object, object, object] | None:
    """Find and remember the plan (see ``_PLANS``) of a dict's keys."""
    keys = tuple(headers)
    chosen = _header_keys(keys)
    plan: tuple[object, object, object] | None = None
    if chosen.keys() <= {*_PLANNED, "content-type"}:
        identity, wait, other_id = (chosen.get(name, _ABSENT) for name in _PLANNED)
        plan = identity, wait, other_id
    if any(type(key) is not str for key in keys):  # a subclass may lower itself its own way:
        return plan  # its plan is this dict's alone, never one for equal plain keys
    if len(_PLANS) >= _MAX_LAYOUTS:
        _PLANS.clear()
    _PLANS[keys] = plan
    return plan


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


def _attribute(obj: object, name: str) -> Any:
    """Read ``obj.name``, or None when reading it fails in any way.

    httpx raises RuntimeError for ``response.request`` on a response built without
    one, so a plain ``getattr`` default is not enough.
    """
    try:
        return getattr(obj, name)
    except Exception:
        return None


def _as_text(value: object) -> str | None:
    """Return ``value`` as a non-empty str (URL objects via ``str``), or None."""
    if type(value) is str:
        return value or None
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("latin-1")
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        return None
    return text or None


def _request_info(obj: object) -> tuple[str | None, str | None]:
    """Return ``(method, url)`` of the request behind a response or exception."""
    request = _attribute(obj, "request")
    if request is None:
        return None, _as_text(_attribute(obj, "url"))
    method = _as_text(_attribute(request, "method"))
    url = _as_text(_attribute(request, "url")) or _as_text(_attribute(obj, "url"))
    return method, url


def _response_headers(response: object) -> _Lowered | None:
    """Return the response's headers read once by ``_lowered_headers``, or None.

    A client's own header mapping answers each read in Python; the later lookups (request
    id, retry headers, content type) then read a plain dict.
    """
    headers = _attribute(response, "headers")
    if not (_is_httpx(type(headers), "Headers") or isinstance(headers, Mapping)):
        return None
    return _lowered_headers(headers)


def _response_body(response: object) -> Any:
    """Return the decoded JSON body, else the text body (None when empty)."""
    if _is_httpx(type(response), "Response"):
        body = _httpx_json_object(response)
        if body is not None:
            return body
    decode = _attribute(response, "json")
    if callable(decode):
        try:
            return decode()
        except Exception:  # not JSON, not read yet, or a broken duck: fall back to text
            pass
    text = _attribute(response, "text")
    return text if isinstance(text, str) and text else None


def _read_httpx(response: Any) -> tuple[str | None, str | None, _Lowered | None, Any]:
    """Read an httpx response as ``_request_info``, ``_response_headers`` and ``_response_body`` do.

    The same reading in one frame: httpx's own types read directly, any surprise (no
    request, headers or content of another kind) handed to the general helper.
    """
    try:
        request = response.request
        method = request.method
        url = _httpx_url(request.url)
        if type(method) is not str or not method or not url:
            raise TypeError("not httpx's usual request")  # read it the general way
    except Exception:  # no request (httpx raises RuntimeError), or an odd one
        method, url = _request_info(response)
    headers: Any = response.headers
    kind = type(headers)
    found = None
    if kind.__name__ == "Headers" and kind.__module__ == "httpx":
        try:
            found = _from_httpx(headers)
        except Exception:  # a version that reads otherwise: the general reading
            found = None
    if found is None:
        found = _response_headers(response)
    body = None
    try:
        content = response.content
        if type(content) is bytes and content.startswith(b"{") and content.isascii():
            body = _json_loads(content.decode("ascii"))
    except Exception:  # not read yet, not JSON after all, too deep: ask ``json()``
        body = None
    if body is None:
        body = _response_body(response)
    return method, url, found, body


# ``str()`` of httpx URLs, by the parsed parts httpx keeps for each (a named tuple of
# strings and the port, from which alone its ``str()`` is built): one service is called
# at the same few URLs, and building the text is the dearest part of reading a request.
_URLS: dict[tuple[object, ...], str] = {}


def _httpx_url(url: object) -> str | None:
    """Return ``str(url)`` for an httpx URL, remembered by its parsed parts; else ``_as_text``."""
    parts = getattr(url, "_uri_reference", None)
    if type(parts).__name__ != "ParseResult" or not isinstance(parts, tuple):
        return _as_text(url)
    text = _URLS.get(parts)
    if text is None:
        text = _as_text(url)
        if text is not None:
            if len(_URLS) >= _MAX_LAYOUTS:
                _URLS.clear()
            _URLS[parts] = text
    return text


def _is_httpx(kind: type, name: str) -> bool:
    """Tell whether ``kind`` is httpx's own class ``name`` (not a subclass, not a look-alike)."""
    return kind.__name__ == name and kind.__module__ == "httpx"  # httpx names it so


def _httpx_json_object(response: Any) -> Any:
    """Decode an httpx body that is an ASCII JSON object, or return None for any other body.

    Its ``json()`` reads the same text (``json.loads`` of the content, which is UTF-8 when
    ASCII) through two more layers; a body this cannot decode goes there as usual.
    """
    try:
        content = response.content
        if type(content) is bytes and content.startswith(b"{") and content.isascii():
            return _json_loads(content.decode("ascii"))
    except Exception:  # not read yet, not JSON after all, too deep: ask ``json()``
        pass
    return None


def error_from_response(
    response: _ResponseLike, *, message: str | None = None, provider: str | None = None
) -> APIError:
    """Build the typed error for a failed response (httpx, requests or any look-alike).

    Reads ``status_code``, ``headers``, the body (``json()``, falling back to
    ``text``) and the request's method and URL, then defers to ``error_for_status``.
    A body that is an RFC 9457 problem document (``application/problem+json``, or an
    errorkit ``urn:errorkit:{CODE}`` type) whose ``code`` names an ``APIError`` class
    is rebuilt as that class, as ``errorkit.problem`` reads it, keeping the response's
    status, headers and request context.

    Raises:
        ValueError: When the response's status is below 400.
    """
    # An httpx response of the usual shape is read and built here, in one frame: an error
    # status, a request with a method and a URL, headers in httpx's own storage naming, of
    # the headers read here, only the request id (either header), ``Retry-After`` and a
    # ``Content-Type`` that does not say ``problem``, each once; and a body that is empty or
    # an ASCII JSON object, not an errorkit problem document. The error is the one the
    # general reading (``_read_response``) gives, which reads any other response. For
    # errorkit's own classes, the URL's text and a body whose bytes were decoded before
    # (their message is in ``_CONTENT_MESSAGES``) are worked out on first read
    # (``_HttpxFields``).
    if type(response) is not _RESPONSE_KIND and not _seen_httpx(response, "Response"):
        return _read_response(response, message, provider)
    read: Any = response  # an ``httpx.Response``, read through its storage
    try:
        request = read._request  # what ``response.request`` reads, or None
        method = request.method
        url = request.url
        headers = read.headers
        encoding = headers._encoding  # None until httpx works it out from every header
        raw = headers._list  # httpx's storage: (name, lower-case name, value), as bytes
        names = (*map(_LOWER_NAME, raw),)  # checked to be names by ``_httpx_plan``
        content = read._content  # what ``response.content`` reads: missing until read
        status = read.status_code
    except Exception:  # no request, a stream not read, another layout: the general reading
        return _read_response(response, message, provider)
    if (
        type(method) is not str
        or not method
        or type(content) is not bytes
        or type(status) is not int
        or status < 400
    ):
        return _read_response(response, message, provider)
    try:
        plan = _HTTPX_PLANS[names]
    except KeyError:
        plan = _httpx_plan(names, raw)
    if plan is None:
        return _read_response(response, message, provider)
    at_id, at_wait, at_other, at_type = plan
    request_id = retry_after = None
    try:
        if encoding is None:  # ASCII reads alike in every encoding httpx picks on its own
            encoding = "ascii"
        if at_id >= 0:
            request_id = raw[at_id][2].decode(encoding) or None
        if request_id is None and at_other >= 0:
            request_id = raw[at_other][2].decode(encoding) or None
        if at_wait >= 0:
            value = raw[at_wait][2]
            retry_after = _RAW_WAITS.get(value)
            if retry_after is None or encoding != "ascii":
                retry_after = _httpx_wait(value, encoding)
        if at_type >= 0:
            value = raw[at_type][2]
            if (value not in _PLAIN_TYPES or encoding != "ascii") and _says_problem(
                value, encoding
            ):
                return _read_response(response, message, provider)  # maybe a problem document
    except Exception:  # not ASCII (httpx's own choice of encoding decides), or another layout
        return _read_response(response, message, provider)
    cls = _BY_STATUS.get(status) or Error.class_for_status(status)
    later: Any = None
    if (type(url) is _URL_KIND or _seen_httpx(url, "URL")) and cls in _OWN_CLASSES:
        later = _HttpxFields()  # an httpx URL, immutable: its text is made on first read
        later._url = url
        url = later
    else:
        url = _httpx_url(url)
        if not url:
            return _read_response(response, message, provider)
    text = message
    body: Any = None
    if content:
        known = _CONTENT_MESSAGES.get(content) if len(content) <= _MEMO_CONTENT else None
        if known is not None and later is not None:  # decoded before: an ASCII JSON object
            later._content = content  # and no problem document, decoded again on first read
            body = later
            text = text or known
        elif not (content.startswith(b"{") and content.isascii()):
            return _read_response(response, message, provider)
        else:
            try:
                body = _json_loads(content.decode("ascii"))
            except (ValueError, RecursionError):  # not JSON: ``json()`` and ``text`` decide
                return _read_response(response, message, provider)
            kind = body.get("type")
            if isinstance(kind, str) and kind.startswith("urn:errorkit:"):
                return _read_response(response, message, provider)  # maybe a problem document
            if not text:
                text = known
                if text is None:
                    table = _redaction._names
                    text = _body_message(body)
                    if text is not None and len(content) <= _MEMO_CONTENT:
                        if len(_CONTENT_MESSAGES) >= _MAX_LAYOUTS:
                            _CONTENT_MESSAGES.clear()
                        _remember(_CONTENT_MESSAGES, content, text, table)
    if not text and cls is APIError:
        text = f"HTTP {status} error"
    build: Callable[..., APIError] = cls  # see ``_mapped``
    return build(
        text or None,
        status_code=status,
        response_body=body,
        request_method=method,
        request_url=url,
        request_id=request_id,
        retry_after=retry_after,
        provider=provider,
    )


def _read_response(response: Any, message: str | None, provider: str | None) -> APIError:
    """``error_from_response`` by the general helpers, for any response."""
    if _is_httpx(type(response), "Response"):
        method, url, headers, body = _read_httpx(response)
    else:
        method, url = _request_info(response)
        headers = _response_headers(response)
        body = _response_body(response)
    status = response.status_code
    if body is not None and _may_be_problem(headers, body):
        rebuilt = _problem_error(status, headers, body, message, method, url, provider)
        if rebuilt is not None:
            return rebuilt
    status = status if type(status) is int else http_status(status)
    cls = Error.class_for_status(status)
    request_id, retry_after, hint = _header_facts(headers) if headers else (None, None, None)
    return _mapped(
        cls, status, message, request_id, retry_after, hint, body, method, url, None, None, provider
    )


# httpx's ``Response`` and ``URL`` classes once ``_seen_httpx`` has seen them, so that they are
# recognised in one step; until then a class nothing read here is.
_RESPONSE_KIND: type = Later
_URL_KIND: type = Later

# httpx's raw header values read before as ASCII: ``Retry-After`` values of plain digits, by
# their bytes (``_WAITS`` by their text), and ``Content-Type`` values not saying ``problem``.
_RAW_WAITS: dict[bytes, float] = {}
_PLAIN_TYPES: set[bytes] = set()


def _httpx_wait(value: bytes, encoding: str) -> float | None:
    """Read a raw ``Retry-After`` value as ``_retry_after_text`` reads its text.

    Plain digits read as ASCII are remembered by their bytes in ``_RAW_WAITS``.

    Raises:
        UnicodeDecodeError: When ``value`` is not text in ``encoding``.
    """
    wait = value.decode(encoding)
    if not wait:
        return None
    seconds = _retry_after_text(wait)
    if seconds is not None and encoding == "ascii" and _WAITS.get(wait) == seconds:
        if len(_RAW_WAITS) >= _MAX_LAYOUTS:
            _RAW_WAITS.clear()
        _RAW_WAITS[value] = seconds
    return seconds


def _says_problem(value: bytes, encoding: str) -> bool:
    """Tell whether a raw ``Content-Type`` says ``problem``; remember one read as ASCII not.

    Raises:
        UnicodeDecodeError: When ``value`` is not text in ``encoding``.
    """
    if "problem" in value.decode(encoding).lower():
        return True
    if encoding == "ascii":
        if len(_PLAIN_TYPES) >= _MAX_LAYOUTS:
            _PLAIN_TYPES.clear()
        _PLAIN_TYPES.add(value)
    return False


def _seen_httpx(value: object, name: str) -> bool:
    """``_is_httpx(type(value), name)`` for ``Response`` or ``URL``; remember the class if so."""
    global _RESPONSE_KIND, _URL_KIND
    kind = type(value)
    if not _is_httpx(kind, name):
        return False
    if name == "URL":
        _URL_KIND = kind
    else:
        _RESPONSE_KIND = kind
    return True


def _own_classes() -> frozenset[type[APIError]]:
    """``APIError`` and its subclasses defined in ``errorkit.exceptions``."""
    found, stack = set(), [APIError]
    while stack:
        cls = stack.pop()
        if cls.__module__ == APIError.__module__ and cls not in found:
            found.add(cls)
            stack += cls.__subclasses__()
    return frozenset(found)


# errorkit's own HTTP classes, whose constructors keep what they are given in ``_request`` as
# it is, and whose default messages name neither the URL nor the body: they may be given
# ``_HttpxFields`` (a class defined elsewhere is given the values).
_OWN_CLASSES: Final = _own_classes()
_URL_AT: Final = _KEPT.index("request_url")


class _HttpxFields(Later):
    """``request_url`` and ``response_body`` read from an httpx response, on first read.

    Each is made (``Later``) as ``error_from_response`` would have made it at once. ``_url`` is the
    request's ``httpx.URL`` (immutable), read by ``_httpx_url``; ``_content``, when set, the
    body's bytes: an ASCII JSON object (not a problem document) whose message
    ``_CONTENT_MESSAGES`` holds, so decoded before, and decoded again now.
    """

    __slots__ = ("_content", "_url")
    _content: bytes
    _url: Any

    def work(self, index: int) -> object:
        """The URL's text (None when it has none), or the decoded body."""
        if index == _URL_AT:
            try:
                return _httpx_url(self._url)
            except Exception:
                return None  # what ``_request_info`` gives for a URL without text
        return self._decoded(fresh_stack=True)

    def _decoded(self, *, fresh_stack: bool = False) -> object:
        """The decoded body, or its text (what ``text`` gives for a body ``json()`` fails).

        Read deep in a stack (``RecursionError``), it is decoded, as it was when the error
        was made, on a fresh stack when ``fresh_stack`` says so.
        """
        try:
            return _json_loads(self._content.decode("ascii"))
        except RecursionError:
            if fresh_stack:
                return _on_fresh_stack(self._decoded)
            return self._content.decode("ascii")
        except Exception:
            return self._content.decode("ascii")


def _on_fresh_stack(work: Callable[[], object]) -> object:
    """Return ``work()`` (which never raises) run in a new thread, whose stack starts empty."""
    import threading

    done: list[object] = []
    try:
        thread = threading.Thread(target=lambda: done.append(work()), name="errorkit-decode")
        thread.start()
        thread.join()
    except RuntimeError:  # no thread to be had (or no stack left to start one): read it here
        return work()
    return done[0]


# For httpx's header storage, by its sequence of lower-case names: the positions of
# ``x-request-id``, ``retry-after``, ``request-id`` and ``content-type`` (-1 for a missing
# one) when these are the only names of ``_HEADER_NAMES`` there, each at most once; else
# None (the response is read by ``_read_httpx``).
_HTTPX_PLANS: dict[tuple[bytes, ...], tuple[int, int, int, int] | None] = {}
# The message of each short JSON body read so far, by its bytes (a service sends the same
# few error bodies); emptied with redaction's memos when sensitive names are added.
_CONTENT_MESSAGES: dict[bytes, str] = {}
_NAME_MEMOS.append(_CONTENT_MESSAGES)
_MEMO_CONTENT: Final = 1024  # bytes: a longer body's message is not remembered
_HTTPX_PLANNED: Final = (b"x-request-id", b"retry-after", b"request-id", b"content-type")
_LOWER_NAME: Final = itemgetter(1)


def _httpx_plan(names: tuple[bytes, ...], raw: list[Any]) -> tuple[int, int, int, int] | None:
    """Find and remember the plan (see ``_HTTPX_PLANS``) of httpx's lower-case header names.

    ``names`` are the second items of the entries of ``raw``, httpx's storage. They are the
    names only in the layout (name, lower-case name, value); in another (an httpx version
    that stores otherwise, for every response alike), the plan is None.
    """
    read = [name for name in names if name in _RAW_HEADER_NAMES]
    plan: tuple[int, int, int, int] | None = None
    if raw and len(raw[0]) != 3:
        pass
    elif len(set(read)) == len(read) and all(name in _HTTPX_PLANNED for name in read):
        at_id, at_wait, at_other, at_type = (
            names.index(name) if name in read else -1 for name in _HTTPX_PLANNED
        )
        plan = at_id, at_wait, at_other, at_type
    if len(_HTTPX_PLANS) >= _MAX_LAYOUTS:
        _HTTPX_PLANS.clear()
    _HTTPX_PLANS[names] = plan
    return plan


def _may_be_problem(headers: _Lowered | None, body: object) -> bool:
    """Tell cheaply whether ``body`` may be a problem document: a few false positives only."""
    if type(body) is not dict:
        return isinstance(body, Mapping)  # read in full by ``_problem_error``
    kind = body.get("type")
    if isinstance(kind, str) and kind.startswith("urn:errorkit:"):
        return True
    media = None if headers is None else headers.get("content-type")
    return media is not None and "problem" in media.lower()


def _problem_error(
    status_code: object,
    headers: _Lowered | None,
    body: object,
    message: str | None,
    method: str | None,
    url: str | None,
    provider: str | None,
) -> APIError | None:
    """Rebuild the ``APIError`` a problem document names by its code, or return None."""
    if not (type(body) is dict or isinstance(body, Mapping)):
        return None
    lookup = _Lowered() if headers is None else headers
    media_type = (lookup.get("content-type") or "").partition(";")[0].strip().lower()
    kind = body.get("type")
    if media_type != "application/problem+json" and not (
        isinstance(kind, str) and kind.startswith("urn:errorkit:")
    ):
        return None
    from errorkit.problem import from_problem_details

    try:
        error = from_problem_details(body, Error)
    except ValueError:
        return None
    if not isinstance(error, APIError) or Error.class_for_code(error.code) is not type(error):
        return None
    status = http_status(status_code)
    details: dict[str, Any] = {**error.details, "status_code": status, "response_body": body}
    request_id, retry_after, hint = _header_facts(lookup)  # the headers' word wins
    context: dict[str, Any] = {"request_method": method, "request_url": url, "provider": provider}
    context |= {"request_id": request_id, "retry_after": retry_after, "retryable": hint}
    details.update((key, value) for key, value in context.items() if value is not None)
    text = message or redact_text(error.message)
    said = error.retry_after
    if not message and error._says_retry_after and retry_after not in (None, said):
        text = _rewaited(text, said, retry_after)  # the message says the header's wait
    return type(error).from_dict({"code": error.code, "message": text, "details": details})


def raise_for_status(response: _ResponseLike, *, provider: str | None = None) -> None:
    """Raise the typed error for a response with a status of 400 or more; else do nothing.

    Raises:
        APIError: The subclass ``error_class_for_status`` picks for the status.
    """
    if http_status(response.status_code) >= 400:
        raise error_from_response(response, provider=provider)


# ---------------------------------------------------------------------------
# Headers and bodies
# ---------------------------------------------------------------------------


# Every header this module reads. Headers are read once into a ``_Lowered`` dict that holds
# only these names, so a lookup of a name missing here finds nothing: add it here first.
_HEADER_NAMES: Final = frozenset(
    {
        "content-type",
        "ratelimit-reset",
        "request-id",
        "retry-after",
        "retry-after-ms",
        "stripe-should-retry",
        "x-ratelimit-reset",
        "x-request-id",
        "x-should-retry",
    }
)
_RAW_HEADER_NAMES: Final = {name.encode("ascii"): name for name in _HEADER_NAMES}


class _Lowered(dict[str, str]):
    """The headers this module reads, by lower-case name, each a non-empty str.

    Built once per mapping by ``_lowered_headers`` (and passed on as it is): a lookup
    is then one dict read, and an empty value reads as a missing header.
    """

    __slots__ = ()


# Which key of a dict answers which name of ``_HEADER_NAMES``, memoized per sequence of
# keys: a server sends the same header names response after response, so a dict of
# headers is read by looking its keys up here rather than lower-casing every one of them.
_LAYOUTS: dict[tuple[object, ...], tuple[tuple[str, object], ...]] = {}
_RAW_LAYOUTS: dict[tuple[object, ...], tuple[tuple[str, tuple[int, ...]], ...]] = {}
_MAX_LAYOUTS: Final = 256


def _lowered_headers(headers: object) -> _Lowered:
    """Read the headers this module uses, case-insensitively, from any header container.

    A name's value is that of its exact lower-case key, else of the first key equal to it
    ignoring case (in the container's order); a header name is any ``str``. Read: a dict,
    httpx's and requests' header mappings (as they read themselves: httpx joins repeated
    headers with ``", "``), any other mapping, and a list or tuple of ``(name, value)``
    pairs; anything else has no headers. Values become text (bytes as Latin-1, others
    through ``str``).
    """
    kind = type(headers)
    if kind is _Lowered:
        return headers  # type: ignore[return-value]
    if kind is dict:
        return _from_dict(headers)  # type: ignore[arg-type]
    if _is_httpx(kind, "Headers"):
        try:  # first: the len() of httpx's headers reads every one of them in Python
            return _from_httpx(headers)
        except Exception:  # a version that reads otherwise: read its items
            pass
    if not headers:
        return _Lowered()
    if isinstance(headers, Mapping):
        if kind.__name__ == "CaseInsensitiveDict" and kind.__module__ == "requests.structures":
            # Its keys lower-cased once, in order: each name is there once, in any case.
            pairs: Iterable[Any] = headers.lower_items()  # type: ignore[attr-defined]
        else:
            pairs = headers.items()
    elif isinstance(headers, list | tuple):
        pairs = (item for item in headers if isinstance(item, tuple | list) and len(item) == 2)
    else:
        return _Lowered()
    return _from_pairs(pairs)


def _from_pairs(pairs: Iterable[Any]) -> _Lowered:
    """Read ``(name, value)`` pairs in one pass: an exact lower-case name wins, else the first."""
    chosen: dict[str, object] = {}
    for key, value in pairs:
        if not isinstance(key, str):
            continue
        lower = key.lower()
        if lower not in _HEADER_NAMES:
            continue
        if key == lower:
            chosen[lower] = value
        else:
            chosen.setdefault(lower, value)
    found = _Lowered()
    for name, value in chosen.items():
        text = _as_text(value)
        if text:
            found[name] = text
    return found


def _from_dict(headers: dict[object, object]) -> _Lowered:
    """Read a dict of headers through the memo of its key layout (see ``_LAYOUTS``)."""
    if not headers:
        return _Lowered()
    keys = tuple(headers)
    try:
        layout = _LAYOUTS.get(keys)
    except Exception:  # a key whose hash or comparison fails: read the pairs
        return _from_pairs(headers.items())
    if layout is None:
        layout = tuple(_header_keys(keys).items())
        if len(_LAYOUTS) >= _MAX_LAYOUTS:
            _LAYOUTS.clear()
        _LAYOUTS[keys] = layout
    found = _Lowered()
    for name, key in layout:
        value = headers[key]
        text = value if type(value) is str else _as_text(value)
        if text:
            found[name] = text
    return found


def _from_httpx(headers: Any) -> _Lowered:
    """Read httpx's ``Headers`` from its raw entries, as its ``items()`` reads them.

    Names are compared lower-cased as bytes, values decoded with the headers' own
    encoding, and a repeated header's values joined with ``", "``, in order.
    """
    raw: list[tuple[bytes, ...]] = getattr(headers, "_list", None)  # type: ignore[assignment]
    if type(raw) is list and (not raw or len(raw[0]) == 3):
        at = 2  # httpx's own storage, which ``raw`` copies: (name, lower-case name, value)
    else:  # another layout in another version: the public pairs
        raw, at = headers.raw, 1
    if not raw:
        return _Lowered()
    keys = tuple([entry[0] for entry in raw])
    layout = _RAW_LAYOUTS.get(keys)
    if layout is None:
        chosen: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            name = _RAW_HEADER_NAMES.get(key.lower())
            if name is not None:
                chosen.setdefault(name, []).append(index)
        layout = tuple((name, tuple(indexes)) for name, indexes in chosen.items())
        if len(_RAW_LAYOUTS) >= _MAX_LAYOUTS:
            _RAW_LAYOUTS.clear()
        _RAW_LAYOUTS[keys] = layout
    found = _Lowered()
    if not layout:
        return found
    encoding: str = headers.encoding
    for name, indexes in layout:
        if len(indexes) == 1:
            text = raw[indexes[0]][at].decode(encoding)
        else:
            text = ", ".join([raw[index][at].decode(encoding) for index in indexes])
        if text:
            found[name] = text
    return found


def _request_id(headers: Mapping[str, str]) -> str | None:
    """Return the request id a server sent in ``x-request-id`` or ``request-id``."""
    return headers.get("x-request-id") or headers.get("request-id")


# Headers in which a server says itself whether a request may be retried (OpenAI and
# Anthropic send the first, Stripe the second), first one with a verdict wins.
_RETRY_HINT_HEADERS: Final = ("x-should-retry", "stripe-should-retry")
_VERDICTS: Final[Mapping[str, bool]] = {"true": True, "false": False}


def _retry_hint(headers: Mapping[str, str]) -> bool | None:
    """Return the server's retry verdict: ``true``/``false`` in any case, else None."""
    for name in _RETRY_HINT_HEADERS:
        value = headers.get(name)
        if value is not None:
            verdict = _VERDICTS.get(value.strip().lower())
            if verdict is not None:
                return verdict
    return None


_MESSAGE_LIMIT: Final = 200
_SCAN_LIMIT: Final = 4000  # body characters looked at before cutting to the limit
_MAX_BODY_DEPTH: Final = 8
_BODY_KEYS: Final = ("error", "message", "detail", "errors")
# Inside an ``error`` object or an item of an error list, prefer the human text:
# OpenAI {"error": {"message"}}, FastAPI {"detail": [{"msg"}]}, GraphQL {"errors": [...]}.
_NESTED_KEYS: Final = ("message", "detail", "error", "msg", "errors")


def _json_object(text: str) -> Mapping[str, Any] | None:
    """Return ``text`` (whose first non-space character is ``{``) parsed as a JSON object.

    None when it is not one.
    """
    try:
        parsed = _json_loads(text)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


_decoder: JSONDecoder | None = None  # made on first use, when ``json`` is imported


def _json_loads(text: str) -> Any:
    """Decode ``text`` exactly as ``json.loads`` does, with one decoder kept for every call.

    Raises:
        ValueError: When ``text`` is not one JSON value.
        RecursionError: When it nests too deep, as ``json.loads`` does.
    """
    global _decoder
    decoder = _decoder
    if decoder is None:
        from json import JSONDecoder

        decoder = _decoder = JSONDecoder()
    if not text.startswith("{"):
        return decoder.decode(text)
    # What ``decode`` does after skipping leading whitespace (a "{" has none), minus its
    # two whitespace regexes: decode one value (with the scanner ``raw_decode`` calls, a
    # frame less), then allow only JSON whitespace after it.
    try:
        parsed, end = decoder.scan_once(text, 0)  # type: ignore[attr-defined]
    except StopIteration as stop:  # no value there: what ``raw_decode`` raises instead
        raise ValueError(f"Expecting value at character {stop.value}") from None
    if end != len(text) and text[end:].strip(" \t\n\r"):
        raise ValueError(f"Extra data after the JSON value at character {end}")
    return parsed


def _common_message(body: dict[Any, Any]) -> str | None:
    """The text ``_find_message`` finds in the usual bodies, found directly; else None.

    The usual bodies: ``{"error": {"message": text}}`` (OpenAI, Anthropic),
    ``{"error": text}`` and ``{"message": text}`` (no ``error`` key), where the text is
    plain: a ``str`` with something besides whitespace, not starting with ``{``.
    """
    item = body.get("error")
    if item is None:
        item = body.get("message")
    elif type(item) is dict:
        item = item.get("message")
    if type(item) is str and item and not item.isspace() and not item.lstrip().startswith("{"):
        return item
    return None


def _find_message(value: object, keys: tuple[str, ...], depth: int = 0) -> str | None:
    """Find the human-readable text in a response body of any shape."""
    if depth > _MAX_BODY_DEPTH:
        return None
    if type(value) is dict or (
        not isinstance(value, (str, bytes, bytearray)) and isinstance(value, Mapping)
    ):
        for key in keys:
            item = value.get(key)
            if item is not None:
                found = _find_message(item, _NESTED_KEYS, depth + 1)
                if found:
                    return found
        return None
    if isinstance(value, (bytes, bytearray)):
        head = bytes(value[:_SCAN_LIMIT])
        if value[_SCAN_LIMIT : _SCAN_LIMIT + 1].strip() and head[-1:].strip():
            words = head.rsplit(None, 1)  # a word cut there is left out, as in ``_excerpt``
            head = words[0] if len(words) == 2 else b""
        value = head.decode("utf-8", "replace")
    if isinstance(value, str):
        parsed = _json_object(value) if value.lstrip().startswith("{") else None
        if parsed is not None:
            return _find_message(parsed, keys, depth + 1)
        return value if value and not value.isspace() else None
    if isinstance(value, (list, tuple)) and value:
        return _find_message(value[0], keys, depth + 1)
    return None


def _body_message(body: object) -> str | None:
    """Return the message a body carries: redacted, whitespace collapsed, at most 200 chars."""
    found = _common_message(body) if type(body) is dict else None
    if found is None:
        found = _find_message(body, _BODY_KEYS)
    if found is None:
        return None
    plain = type(found) is str and len(found) <= _MESSAGE_LIMIT
    if plain:
        message = _MESSAGES.get(found)
        if message is not None:
            return message
    names = _redaction._names
    message = _excerpt(found)
    if plain and message is not None:
        _remember(_MESSAGES, found, message, names)
    return message


# The messages made of short texts found in bodies (a service words its errors the same way
# every time); emptied, as redaction's own memos are, when sensitive names are added.
_MESSAGES: dict[str, str] = {}
_NAME_MEMOS.append(_MESSAGES)


# ---------------------------------------------------------------------------
# Retry-After
# ---------------------------------------------------------------------------

_MAX_WAIT: Final = 86400.0
_EPOCH_THRESHOLD: Final = 1e9


def _clamp(seconds: float) -> float:
    """Bound a wait to ``[0, 86400]``."""
    return 0.0 if seconds < 0.0 else _MAX_WAIT if seconds > _MAX_WAIT else seconds


def _now_timestamp(now: datetime | None) -> float:
    """Return ``now`` (the current time by default; naive means UTC) as a Unix timestamp."""
    if now is None:
        return time.time()
    if now.tzinfo is None:
        from datetime import timezone

        now = now.replace(tzinfo=timezone.utc)
    return now.timestamp()


def _until(timestamp: float, now: datetime | None) -> float:
    """Return the whole seconds (rounded up) from ``now`` until ``timestamp``, clamped."""
    return -(-_clamp(timestamp - _now_timestamp(now)) // 1.0)


def _is_decimal(text: str) -> bool:
    """Tell whether ``text`` is an unsigned ASCII decimal: ``120``, ``0.5``, ``1.``, ``.5``."""
    if text.isdigit():  # "120": the usual form
        return text.isascii()
    whole, _, fraction = text.partition(".")
    return (
        bool(whole or fraction)
        and text.isascii()
        and (not whole or whole.isdigit())
        and (not fraction or fraction.isdigit())
    )


def _number(value: object) -> float | None:
    """Read a finite, non-negative number from a header value or a number; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _is_decimal(text):
            return None
        number = float(text)  # a huge digit string gives inf here, never an exception
    elif isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
    else:
        return None
    return number if number - number == 0.0 and number >= 0 else None  # finite, >= 0


def _delay_or_epoch(number: float | None, now: datetime | None) -> float | None:
    """Read a number as a delay, or as a Unix timestamp when it is at least 1e9."""
    if number is None:
        return None
    if number >= _EPOCH_THRESHOLD:
        return _until(number, now)
    return _clamp(number)


def _http_date(text: str, now: datetime | None) -> float | None:
    """Read an HTTP-date (IMF-fixdate, RFC 850 or asctime) as the wait until it."""
    from datetime import timezone
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
        if when.tzinfo is None:  # "-0000" and asctime dates carry no zone: they are GMT
            when = when.replace(tzinfo=timezone.utc)
        return _until(when.timestamp(), now)
    except Exception:  # email.utils raises assorted types on malformed dates across versions
        return None


def parse_retry_after(
    value: str | float | int | None, *, now: datetime | None = None
) -> float | None:
    """Read a ``Retry-After`` value as the number of seconds to wait.

    Accepts delta-seconds (``"120"``, ``"0.5"``) and RFC 9110 HTTP-dates (a past
    date gives 0.0). A number of at least 1e9 is a Unix timestamp sent by mistake
    and is read as the seconds until that moment. Waits derived from a date or a
    timestamp are rounded up to whole seconds; every result is clamped to
    ``[0, 86400]``. Never raises.

    Args:
        value: The header value, or a number of seconds.
        now: The current time for dates and timestamps; naive means UTC.

    Returns:
        The seconds to wait, or None for an empty, negative, non-finite, overflowing
        or unparseable value.
    """
    return _retry_after_value(value, now)


def _retry_after_value(value: object, now: datetime | None) -> float | None:
    """``parse_retry_after`` with positional arguments."""
    if isinstance(value, str):
        text = value.strip()
        if not _is_decimal(text):
            return _http_date(value, now) if text else None
        number = float(text)  # a huge digit string gives inf here, never an exception
        return _delay_or_epoch(number, now) if number - number == 0.0 else None
    return _delay_or_epoch(_number(value), now)


def _retry_after_ms(value: str, now: datetime | None) -> float | None:
    """Read ``retry-after-ms``: a delay in milliseconds."""
    number = _number(value)
    return None if number is None else _clamp(number / 1000)


def _ratelimit_reset(value: str, now: datetime | None) -> float | None:
    """Read ``RateLimit-Reset``: a delay in seconds."""
    number = _number(value)
    return None if number is None else _clamp(number)


def _x_ratelimit_reset(value: str, now: datetime | None) -> float | None:
    """Read ``X-RateLimit-Reset``: a Unix timestamp when at least 1e9, else a delay."""
    return _delay_or_epoch(_number(value), now)


_RETRY_HEADERS: Final[tuple[tuple[str, Callable[[str, datetime | None], float | None]], ...]] = (
    ("retry-after", _retry_after_value),
    ("retry-after-ms", _retry_after_ms),
    ("ratelimit-reset", _ratelimit_reset),
    ("x-ratelimit-reset", _x_ratelimit_reset),
)


def retry_after_from_headers(
    headers: Mapping[str, str] | None, *, now: datetime | None = None
) -> float | None:
    """Return the seconds to wait that response headers ask for, or None.

    Looks at ``Retry-After``, ``retry-after-ms``, ``RateLimit-Reset`` (a delay) and
    ``X-RateLimit-Reset`` (a Unix timestamp when at least 1e9, else a delay), in that
    order, case-insensitively; the first that yields a value wins. Results are
    clamped to ``[0, 86400]`` and waits until a moment are rounded up.

    Args:
        headers: Any mapping of header names to values, or None.
        now: The current time for dates and timestamps; naive means UTC.
    """
    return _retry_after(_lowered_headers(headers), now)


def _retry_after(headers: Mapping[str, str], now: datetime | None) -> float | None:
    """``retry_after_from_headers`` on headers read by ``_lowered_headers``."""
    value = headers.get("retry-after")
    if value is not None and value.isdigit() and value.isascii():  # "120": the usual form
        whole = float(value)
        if whole <= _MAX_WAIT:  # else the general reading clamps it, or takes a timestamp
            return whole
    for name, parse in _RETRY_HEADERS:
        raw = headers.get(name)
        if raw is not None:
            seconds = parse(raw, now)
            if seconds is not None:
                return seconds
    return None


# ---------------------------------------------------------------------------
# Transport failures
# ---------------------------------------------------------------------------

_HTTPX = ("httpx", "httpcore")
# (kind, top-level modules, class names). Matched along the exception's MRO, so the
# most specific class decides; "response" stops the walk (urllib's HTTPError is a
# URLError, but it carries a response), "max_retry" defers to urllib3's ``reason``.
_TRANSPORT_NAMES: Final[tuple[tuple[_Kind, tuple[str, ...], tuple[str, ...]], ...]] = (
    # asyncio's and concurrent.futures' TimeoutError are builtin aliases from 3.11 on.
    ("timeout", ("builtins", "asyncio", "concurrent"), ("TimeoutError",)),
    ("connection", ("builtins",), ("ConnectionError",)),
    ("connection", ("socket",), ("gaierror",)),
    ("connection", ("ssl",), ("SSLError",)),
    ("connection", ("urllib",), ("URLError",)),
    ("response", ("urllib", "requests"), ("HTTPError",)),
    (
        "timeout",
        _HTTPX,
        ("TimeoutException", "ConnectTimeout", "ReadTimeout", "WriteTimeout", "PoolTimeout"),
    ),
    (
        "connection",
        _HTTPX,
        (
            "TransportError",
            "NetworkError",
            "ConnectError",
            "ReadError",
            "WriteError",
            "CloseError",
            "ProtocolError",
            "RemoteProtocolError",
            "LocalProtocolError",
            "ProxyError",
            "UnsupportedProtocol",
        ),
    ),
    ("timeout", ("requests",), ("Timeout", "ConnectTimeout", "ReadTimeout")),
    (
        "connection",
        ("requests",),
        ("ConnectionError", "SSLError", "ProxyError", "ChunkedEncodingError"),
    ),
    ("timeout", ("urllib3",), ("TimeoutError", "ConnectTimeoutError", "ReadTimeoutError")),
    (
        "connection",
        ("urllib3",),
        ("NewConnectionError", "ProtocolError", "SSLError", "ProxyError"),
    ),
    ("max_retry", ("urllib3",), ("MaxRetryError",)),
    (
        "timeout",
        ("aiohttp",),
        ("ServerTimeoutError", "ConnectionTimeoutError", "SocketTimeoutError"),
    ),
    (
        "connection",
        ("aiohttp",),
        (
            "ClientConnectionError",
            "ClientConnectorError",
            "ServerDisconnectedError",
            "ClientOSError",
            "ClientPayloadError",
        ),
    ),
)
_TRANSPORT: Final[Mapping[tuple[str, str], _Kind]] = {
    (module, name): kind
    for kind, modules, names in _TRANSPORT_NAMES
    for module in modules
    for name in names
}


def _transport_kind(exc: BaseException, depth: int = 0) -> _Kind | None:
    """Classify ``exc`` as a "timeout" or "connection" failure, or None."""
    for klass in type(exc).__mro__:
        module = getattr(klass, "__module__", None)
        if not isinstance(module, str):
            continue
        kind = _TRANSPORT.get((module.partition(".")[0], klass.__qualname__))
        if kind == "response":
            return None
        if kind == "max_retry":  # urllib3 gave up; its reason says how the last try failed
            reason = getattr(exc, "reason", None)
            timed_out = (
                isinstance(reason, BaseException)
                and reason is not exc
                and depth < 4
                and _transport_kind(reason, depth + 1) == "timeout"
            )
            return "timeout" if timed_out else "connection"
        if kind is not None:
            return kind
    return None


def error_from_exception(
    exc: BaseException,
    *,
    provider: str | None = None,
    request_method: str | None = None,
    request_url: str | None = None,
) -> BaseException:
    """Turn a transport failure into ``APITimeoutError`` or ``APIConnectionError``.

    Recognises builtin ``TimeoutError``/``ConnectionError``, ``socket.gaierror``,
    ``ssl.SSLError``, ``urllib.error.URLError`` (not ``HTTPError``) and the
    timeout, connect, network and protocol errors of httpx, httpcore, requests,
    urllib3 and aiohttp, by module and class name, without importing them. The new
    error has the class's default message (never the exception's text, which may
    hold a URL), ``original_exception=exc``, and the request method and URL, taken
    from ``exc.request`` when not given. Anything else, errorkit errors included,
    is returned unchanged.
    """
    if isinstance(exc, Error):
        return exc
    kind = _transport_kind(exc)
    if kind is None:
        return exc
    method, url = _request_info(exc)
    cls = APITimeoutError if kind == "timeout" else APIConnectionError
    return cls(
        request_method=request_method or method,
        request_url=request_url or url,
        provider=provider,
        original_exception=exc,
    )


# ``overload`` is typing's under a type checker and a no-op at run time, which ruff cannot
# see; hence the noqa marks.
@overload
def find_error(exc: BaseException | None) -> Error | None: ...  # noqa: D103
@overload
def find_error(exc: BaseException | None, cls: type[_E]) -> _E | None: ...  # noqa: D103, F811
def find_error(  # noqa: F811
    exc: BaseException | None, cls: type[BaseException] = Error
) -> BaseException | None:
    """Return the first instance of ``cls`` in ``exc``, its groups and its chain, or None.

    ``exc`` itself comes first, then, depth first, the members of a
    ``BaseExceptionGroup`` and the ``__cause__`` and ``__context__`` of each exception
    met. Every exception is visited once, so a cyclic chain ends. This is how the retry
    and integration helpers see a ``RateLimitError`` that an asyncio or anyio task group
    wrapped in an ``ExceptionGroup``, or that a caller re-raised ``from`` it.

    Args:
        exc: The exception caught (None gives None).
        cls: The class to look for; ``Error`` (any errorkit error) by default.

    Returns:
        The first matching exception, or None when there is none.
    """
    seen: set[int] = set()
    stack: list[BaseException] = [exc] if exc is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, cls):
            return current
        following: list[BaseException] = []
        members = getattr(current, "exceptions", None) if _is_group(current) else None
        if isinstance(members, (list, tuple)):
            following += [member for member in members if isinstance(member, BaseException)]
        for linked in (current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                following.append(linked)
        stack += reversed(following)
    return None


def _is_group(exc: BaseException) -> bool:
    """Tell whether ``exc`` is an exception group (the builtin or the exceptiongroup backport)."""
    return any(klass.__name__ == "BaseExceptionGroup" for klass in type(exc).__mro__)


# ---------------------------------------------------------------------------
# Wrapping SDK exceptions
# ---------------------------------------------------------------------------

_TARGET_BASES: Final = (APIError, APIConnectionError, ConnectorError)


def _is_target(value: object) -> bool:
    """Tell whether ``value`` is a class ``map_exceptions`` knows how to build."""
    return isinstance(value, type) and issubclass(value, _TARGET_BASES)


class map_exceptions:
    """Re-raise third-party exceptions as errorkit errors: a context manager or decorator.

    Use it as ``with``, ``async with``, or a decorator of a ``def`` or ``async def``
    function. ``error_map`` maps exception classes to errorkit classes, or to
    callables that take the exception and return a class or an errorkit error they
    built. The raised exception's MRO is walked, so the most specific entry wins. The
    error is raised ``from exc``; unmapped exceptions, errorkit errors and
    ``BaseException`` subclasses such as ``KeyboardInterrupt`` pass through unchanged.

    What the built error gets:

    * ``APIError`` and ``APIConnectionError`` subclasses: ``str(exc)`` as the message,
      the provider and ``original_exception=exc``; an ``APIError`` also the status and
      ``retry_after`` read from the exception (below), its class status when there is
      none (500 for a plain ``APIError``).
    * ``ConnectorError`` itself, ``CatalogNotFoundError`` and ``InvalidParameterError``:
      ``str(exc)`` as the message.
    * The other connector classes keep their agent-facing default message, directive
      included; the exception's text goes to ``details["upstream_message"]``, masked
      and cut to 200 characters. ``ProviderError`` gets the status (408 for a timeout,
      else 500 when there is none), ``ConnectorRateLimitError`` the ``retry_after``
      (else 60.0).

    The exception is read duck-typed: the status from ``status_of(exc)`` (when it returns
    one; a ``status_of`` that raises gives none), else ``exc.status_code``, else
    ``exc.response.status_code`` (an error status, 400–599);
    ``retry_after`` from ``exc.retry_after``, else ``exc.response.headers``.

    Examples:
        >>> with map_exceptions({TimeoutError: APITimeoutError}, provider="openai"):
        ...     raise TimeoutError("read timed out")
        Traceback (most recent call last):
        errorkit.exceptions.APITimeoutError: read timed out
    """

    def __init__(
        self,
        error_map: Mapping[type[BaseException], _ErrorTarget],
        *,
        provider: str,
        status_of: Callable[[Any], int | None] | None = None,
    ) -> None:
        self.error_map = error_map
        self.provider = provider
        self.status_of = status_of

    def __enter__(self) -> Self:
        """Check the map: keys must be exception classes, targets buildable classes.

        Raises:
            TypeError: Naming the first key or target that cannot be used.
        """
        self._check()
        return self

    async def __aenter__(self) -> Self:
        """Check the map, as ``__enter__`` does."""
        self._check()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._translate(exc)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._translate(exc)

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        """Decorate ``func`` (a ``def`` or an ``async def``) to map what every call raises.

        Raises:
            TypeError: When the map cannot be used, as on entering.
        """
        from functools import wraps
        from inspect import iscoroutinefunction

        self._check()
        if iscoroutinefunction(func):

            @wraps(func)
            async def mapped_async(*args: Any, **kwargs: Any) -> Any:
                async with self:
                    return await func(*args, **kwargs)

            wrapper: Callable[..., Any] = mapped_async
            return wrapper

        @wraps(func)
        def mapped(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            with self:
                return func(*args, **kwargs)

        return mapped

    def _check(self) -> None:
        """Raise TypeError for the first key or target of the map that cannot be used."""
        for source, target in self.error_map.items():
            if not (isinstance(source, type) and issubclass(source, BaseException)):
                raise TypeError(f"error_map key {source!r} is not an exception class")
            if not (_is_target(target) or (callable(target) and not isinstance(target, type))):
                raise TypeError(
                    f"error_map target {target!r} for {source.__name__} is not a subclass of "
                    "APIError, APIConnectionError or ConnectorError, nor a callable returning one"
                )

    def _translate(self, exc: BaseException | None) -> None:
        """Raise the errorkit error ``exc`` maps to, if any; return otherwise."""
        if not isinstance(exc, Exception) or isinstance(exc, Error):
            return
        target = next((self.error_map[k] for k in type(exc).__mro__ if k in self.error_map), None)
        if target is None:
            return
        chosen = target if isinstance(target, type) else target(exc)
        if isinstance(chosen, Error):  # the callable built the error itself
            raise chosen from exc
        if not _is_target(chosen):
            raise TypeError(
                f"error_map callable {target!r} returned {chosen!r} for {type(exc).__name__}; "
                "expected a subclass of APIError, APIConnectionError or ConnectorError, "
                "or an errorkit error"
            ) from exc
        raise self._build(chosen, exc) from exc

    def _build(self, cls: type[_MappedError], exc: Exception) -> Error:
        """Construct ``cls`` for ``exc`` with the arguments its family takes."""
        message, provider = _exception_text(exc), self.provider
        if issubclass(cls, JQLSyntaxError):  # built from the raw JQL error text alone
            return cls(message)
        if cls is ConnectorError or issubclass(cls, CatalogNotFoundError):
            return cls(message, provider=provider)
        if issubclass(cls, InvalidParameterError):  # no default message: the text is it
            return cls(provider, message)
        if issubclass(cls, ConnectorError):
            error = self._build_connector(cls, exc)
            upstream = _excerpt(message)
            if upstream:
                error.details["upstream_message"] = upstream
            return error
        if issubclass(cls, APIError):
            status = self._status(exc)
            if status is None and cls is APIError:
                status = 500
            context: dict[str, Any] = {"provider": provider, "original_exception": exc}
            retry_after = _exception_retry_after(exc)
            if retry_after is not None:
                context["retry_after"] = retry_after
            build_api: Callable[..., APIError] = cls
            return build_api(message, status_code=status, **context)
        return cls(message, provider=provider, original_exception=exc)

    def _build_connector(self, cls: type[ConnectorError], exc: Exception) -> ConnectorError:
        """Construct a typed connector class with its default message for ``exc``."""
        provider, status = self.provider, self._status(exc)
        if issubclass(cls, ProviderError):
            if status is None:
                status = 408 if _transport_kind(exc) == "timeout" else 500
            return cls(provider, status, original_exception=exc)
        http: dict[str, Any] = {"original_exception": exc}
        if status is not None:
            http["status_code"] = status
        if issubclass(cls, ConnectorRateLimitError):
            retry_after = _exception_retry_after(exc)
            return cls(provider, 60.0 if retry_after is None else retry_after, **http)
        if issubclass(cls, (UnauthorizedError, PaymentRequiredError)):
            build_http: Callable[..., ConnectorError] = cls
            return build_http(provider, **http)
        if issubclass(cls, ParseError):
            return cls(provider, original_exception=exc)
        build: Callable[[str], ConnectorError] = cls  # EmptyDataError and the like
        return build(provider)

    def _status(self, exc: Exception) -> int | None:
        """Return the error status ``exc`` carries (see the class docstring), or None."""
        if self.status_of is not None:
            try:
                status = _error_status(self.status_of(exc))
            except Exception:  # the mapping must not replace the failure it maps
                status = None
            if status is not None:
                return status
        status = _error_status(_attribute(exc, "status_code"))
        if status is not None:
            return status
        return _error_status(_attribute(_attribute(exc, "response"), "status_code"))


def _error_status(value: object) -> int | None:
    """Return ``value`` as an HTTP error status (400–599), or None when it is not one."""
    if value is None:
        return None
    try:
        status = http_status(value)
    except ValueError:
        return None
    return status if 400 <= status <= 599 else None


def _exception_retry_after(exc: BaseException) -> float | None:
    """Return the delay ``exc`` asks for: ``exc.retry_after``, else its response's headers."""
    value = _attribute(exc, "retry_after")
    if value is not None:
        total_seconds = _attribute(value, "total_seconds")  # a timedelta
        seconds = _retry_after_value(total_seconds() if callable(total_seconds) else value, None)
        if seconds is not None:
            return seconds
    headers = _response_headers(_attribute(exc, "response"))
    return None if headers is None else retry_after_from_headers(headers)


def _exception_text(exc: BaseException) -> str:
    """``str(exc)``, or the class name when that fails."""
    try:
        return str(exc)
    except Exception:
        return type(exc).__name__


def _excerpt(text: str) -> str | None:
    """Return ``text`` with whitespace collapsed, secrets masked, at most 200 characters.

    Only its first 4,000 characters are read; a word cut there is left out, as a secret cut
    short may no longer read as one.
    """
    words = text[:_SCAN_LIMIT].split()
    cut = text[_SCAN_LIMIT - 1 : _SCAN_LIMIT + 1]
    if words and len(cut) == 2 and not cut[0].isspace() and not cut[1].isspace():
        words.pop()  # the last word goes on past the cut
    return redact_text(" ".join(words))[:_MESSAGE_LIMIT].rstrip() or None


# ---------------------------------------------------------------------------
# Connector helpers (agent-facing default messages)
# ---------------------------------------------------------------------------


def connector_error_for_status(
    provider: str,
    status_code: int,
    *,
    headers: Mapping[str, str] | None = None,
    env_var: str | None = None,
    **request_context: Unpack[RequestContext],
) -> ConnectorError:
    """Build the connector error for an HTTP failure status, with its default message.

    401/403 → ``UnauthorizedError`` (naming ``env_var``), 402 →
    ``PaymentRequiredError``, 429 → ``ConnectorRateLimitError`` (``retry_after``
    from the headers, else 60.0), anything else → ``ProviderError``. ``request_id``
    is read from the headers unless given.

    Args:
        provider: The connector's provider name.
        status_code: The HTTP status; a numeric string is converted.
        headers: The response headers, any mapping.
        env_var: The environment variable holding the provider's API key.
        **request_context: Request and response context for the error.
    """
    status = http_status(status_code)
    lookup = _lowered_headers(headers)
    if request_context.get("request_id") is None:
        request_context["request_id"] = _request_id(lookup)
    if status in (401, 403):
        return UnauthorizedError(provider, env_var=env_var, status_code=status, **request_context)
    if status == 402:
        return PaymentRequiredError(provider, **request_context)
    if status == 429:
        retry_after = _retry_after(lookup, None)
        return ConnectorRateLimitError(
            provider, 60.0 if retry_after is None else retry_after, **request_context
        )
    return ProviderError(provider, status, **request_context)


def connector_error_from_response(
    response: _ResponseLike, *, provider: str, env_var: str | None = None
) -> ConnectorError:
    """Build the connector error for a failed response (httpx, requests or a look-alike)."""
    method, url = _request_info(response)
    return connector_error_for_status(
        provider,
        response.status_code,
        headers=_response_headers(response),
        env_var=env_var,
        response_body=_response_body(response),
        request_method=method,
        request_url=url,
    )


def connector_error_for_timeout(
    provider: str, *, original_exception: BaseException | None = None
) -> ProviderError:
    """Build the connector error for an upstream timeout: ``ProviderError`` with status 408."""
    return ProviderError(provider, 408, original_exception=original_exception)


def connector_error_for_transport(provider: str, exc: BaseException) -> ProviderError:
    """Build the connector error for an unreachable upstream: ``ProviderError``, status 503.

    The message names only the exception's class, never its text, which may hold a
    URL or a credential.
    """
    message = (
        f"{provider}: upstream could not be reached ({type(exc).__name__}). {DIRECTIVE_UNREACHABLE}"
    )
    return ProviderError(provider, 503, message, original_exception=exc)
