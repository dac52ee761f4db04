"""``python -m errorkit``: print the hierarchy, then map a sample HTTP 429 response."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from errorkit.exceptions import Error
from errorkit.http_mapping import error_from_response

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


def _children(cls: type[Error]) -> list[type[Error]]:
    """Subclasses drawn under ``cls``: those whose first base it is, in source order."""
    return [child for child in cls.__subclasses__() if child.__bases__[0] is cls]


def _walk(cls: type[Error], lead: str, branch: str) -> Iterator[tuple[str, type[Error]]]:
    """Yield ``(prefix, class)`` for ``cls`` and its subtree, drawn with box characters."""
    yield lead + branch, cls
    children = _children(cls)
    below = lead + ("" if not branch else "    " if branch.startswith("└") else "│   ")
    for index, child in enumerate(children):
        last = index == len(children) - 1
        yield from _walk(child, below, "└── " if last else "├── ")


def tree_lines(root: type[Error] = Error) -> list[str]:
    """Render the tree under ``root``: name (and second base), code, default status."""
    rows = []
    for prefix, cls in _walk(root, "", ""):
        name = cls.__name__
        if len(cls.__bases__) > 1:
            name += f" (+ {cls.__bases__[1].__name__})"
        status = getattr(cls, "status_code", None)
        rows.append((prefix + name, cls.code, "" if status is None else str(status)))
    width = max(len(label) for label, _, _ in rows) + 2
    code_width = max(len(code) for _, code, _ in rows) + 2
    return [
        f"{label:<{width}}{code:<{code_width}}{status}".rstrip() for label, code, status in rows
    ]


class _SampleRequest:
    """The request half of the sample exchange."""

    method = "GET"
    url = "https://reports.example.com/v1/usage?api_key=sk-demo-not-a-real-key&day=2026-11-21"


class _SampleResponse:
    """A stand-in for an ``httpx.Response`` or ``requests.Response`` answering 429."""

    status_code = 429
    headers: ClassVar[dict[str, str]] = {
        "Retry-After": "30",
        "Content-Type": "application/json",
        "X-Request-ID": "req_8d1",
    }
    request = _SampleRequest()
    text = '{"error": {"message": "Too many requests for this key"}}'

    def json(self) -> Any:
        """Return the parsed body, as the HTTP clients do."""
        return json.loads(self.text)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tree with codes and statuses, then a mapped 429 error as text and JSON."""
    del argv  # no options yet
    print("errorkit exception hierarchy (class, code, default HTTP status)\n")
    print("\n".join(tree_lines()))
    error = error_from_response(_SampleResponse(), provider="reports")
    print(f"\nA sample HTTP 429 response maps to {type(error).__name__}:\n")
    print(f"str(error)         {error}")
    print(f"error.retry_after  {getattr(error, 'retry_after', None)}")
    print(f"error.retryable    {error.retryable}")
    print("error.to_dict()")
    print(json.dumps(error.to_dict(), indent=2))
    return 0
