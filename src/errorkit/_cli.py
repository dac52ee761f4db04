"""``python -m errorkit``: the hierarchy, the code catalog, explanations and status mapping.

Subcommands (standard library ``argparse`` only; nothing third-party is imported):

* no arguments: the tree with codes and default statuses, then a sample 429 mapped;
* ``codes [--json | --markdown]``: every code with its class, status, retryability,
  exit code and a one-line description;
* ``explain CODE``: what an error means (from the class docstring) and what to do about it
  (from ``errorkit._remedies``);
* ``map STATUS [--header NAME:VALUE ...] [--body TEXT] [--provider P] [--connector] [--json]``:
  the typed error ``http_mapping`` produces, its ``str()`` and ``to_dict()``;
* ``schema``: the JSON schema of the ``to_dict()`` payload (needs pydantic).

``--version`` prints the installed version. Usage errors (an unknown code, a status that is not
an HTTP error status) print the subcommand's usage and exit with status 2. When the reader of
the output goes away early (``python -m errorkit codes | head -1``), the command stops quietly
with status 0, as Unix tools do.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import json
import os
import sys
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from errorkit import __version__, http_mapping
from errorkit._remedies import REMEDIES
from errorkit.exceptions import Error
from errorkit.redaction import redact_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

# Classes whose retryability depends on the instance, not the class.
_BY_STATUS = "when the status is 408, 425, 429 or 5xx but 501"
_RETRYABLE_WHEN = {
    "API_ERROR": _BY_STATUS,
    "SERVER_ERROR": "unless the status is 501",
    "SESSION_REPLAY_ERROR": _BY_STATUS,
    "PROVIDER_ERROR": _BY_STATUS,
    "PROVIDER_RATE_LIMITED": "unless quota_exhausted",
}


# ---------------------------------------------------------------------------
# The tree and the catalog
# ---------------------------------------------------------------------------


def _public(cls: type) -> type:
    """``cls``, or its first public base when ``cls`` is private (``_Name``)."""
    while cls.__name__.startswith("_"):
        cls = cls.__bases__[0]
    return cls


def _children(cls: type[Error]) -> list[type[Error]]:
    """Subclasses drawn under ``cls``: those whose first base it is, in source order.

    A private base (``_Name``) is not drawn: its subclasses are drawn in its place.
    """
    children = []
    for child in cls.__subclasses__():
        if child.__bases__[0] is cls:
            private = child.__name__.startswith("_")
            children.extend(_children(child) if private else [child])
    return children


def _walk(cls: type[Error], lead: str, branch: str) -> Iterator[tuple[str, type[Error]]]:
    """Yield ``(prefix, class)`` for ``cls`` and its subtree, drawn with box characters."""
    yield lead + branch, cls
    children = _children(cls)
    below = lead + ("" if not branch else "    " if branch.startswith("└") else "│   ")
    for index, child in enumerate(children):
        last = index == len(children) - 1
        yield from _walk(child, below, "└── " if last else "├── ")


def classes() -> list[type[Error]]:
    """Every errorkit class, in tree (source) order."""
    return [cls for _, cls in _walk(Error, "", "")]


def _status(cls: type[Error]) -> int | None:
    """The class's default HTTP status, if it has one."""
    status = getattr(cls, "status_code", None)
    return status if isinstance(status, int) else None


def tree_lines(root: type[Error] = Error) -> list[str]:
    """Render the tree under ``root``: name (and second base), code, default status."""
    rows = []
    for prefix, cls in _walk(root, "", ""):
        name = cls.__name__
        if len(cls.__bases__) > 1:
            name += f" (+ {cls.__bases__[1].__name__})"
        status = _status(cls)
        rows.append((prefix + name, cls.code, "" if status is None else str(status)))
    width = max(len(label) for label, _, _ in rows) + 2
    code_width = max(len(code) for _, code, _ in rows) + 2
    return [
        f"{label:<{width}}{code:<{code_width}}{status}".rstrip() for label, code, status in rows
    ]


def _doc_parts(cls: type[Error]) -> tuple[str, str]:
    """Split a class docstring into (summary line, body), leaving out ``Args:``."""
    doc = inspect.cleandoc(cls.__doc__ or "").replace("``", "`")
    summary, _, rest = doc.partition("\n")
    paragraphs = [p.strip() for p in rest.strip().split("\n\n") if p.strip()]
    body = [p for p in paragraphs if not p.startswith("Args:")]  # the arguments: the reference's
    return summary.strip(), "\n\n".join(body)


def _remedy_of(cls: type[Error]) -> str:
    """What to do about an error of ``cls``: its code's entry in the remedies table, if any."""
    return REMEDIES.get(cls.code, "")


def catalog() -> list[dict[str, Any]]:
    """One entry per error code: class, status, retryability, exit code, description."""
    entries = []
    for cls in classes():
        summary, _ = _doc_parts(cls)
        remedy = _remedy_of(cls)
        for code in _codes_of(cls):
            entries.append(
                {
                    "code": code,
                    "class": cls.__name__,
                    "status": _status(cls),
                    "retryable": cls.retryable,
                    "retryable_when": _RETRYABLE_WHEN.get(code),
                    "exit_code": cls.exit_code,
                    "description": summary,
                    "what_to_do": remedy,
                }
            )
    return entries


def _retryable_text(entry: dict[str, Any]) -> str:
    """Render an entry's retryability for people."""
    return entry["retryable_when"] or ("yes" if entry["retryable"] else "no")


# What each code of a class with several codes means (the class docstring speaks for them all).
_CODE_MEANINGS = {
    "OAUTH_TOKEN_ERROR": "Exchanging the authorization code for a token, or validating it, failed.",
    "OAUTH_REFRESH_ERROR": "Refreshing the access token failed; trying again later can work.",
    "OAUTH_REFRESH_REVOKED": "The provider rejected the refresh token as revoked: log in again.",
    "OAUTH_REGISTRATION_ERROR": "Registering the client with the provider failed.",
    "OAUTH_TIMEOUT": "The local callback server timed out waiting for the authorization.",
    "OAUTH_PORT_ERROR": "No local port was free for the callback server.",
    "OAUTH_BROWSER_ERROR": "The authorization URL could not be opened in a browser.",
    "NO_WORKSPACES": "The project has no workspace the credential can reach.",
    "AMBIGUOUS_WORKSPACE": "The project has several workspaces and none is the default.",
    "WORKSPACE_NOT_FOUND": "The workspace id given matches no workspace of the project.",
    "ORGANIZATION_AMBIGUOUS": "The credential reaches several organizations; none was chosen.",
}

REFERENCE = "errorkit.exceptions"  # the module whose reference page documents each class


def _codes_of(cls: type[Error]) -> tuple[str, ...]:
    """The class's own code, then its alternative codes."""
    return (cls.code, *vars(cls).get("_other_codes", ()))


def _facts(entry: dict[str, Any]) -> str:
    """One line of facts about a code: its class (linked to the reference), status and so on."""
    status = "no HTTP status" if entry["status"] is None else f"HTTP {entry['status']}"
    link = f"[`{entry['class']}`][{REFERENCE}.{entry['class']}]"
    retryable = _retryable_text(entry)
    return f"{link} · {status} · retryable: {retryable} · exit code {entry['exit_code']}"


def _remedy(entry: dict[str, Any]) -> list[str]:
    """The "What to do" paragraph of an entry, if it has one."""
    return [f"**What to do:** {entry['what_to_do']}", ""] if entry["what_to_do"] else []


def catalog_markdown() -> str:
    """The catalog as the Markdown of the docs' error-code page.

    One section per family (the base class, then each subtree of ``Error`` in tree order);
    one heading per code, whose anchor is the code itself (``codes/#RATE_LIMITED``). A class
    with several codes gets one heading of its own (anchored by its name) with the facts and
    advice its codes share, then one heading per code saying what that code means.
    """
    by_class: dict[str, list[dict[str, Any]]] = {}
    for entry in catalog():
        by_class.setdefault(entry["class"], []).append(entry)
    families: list[list[type[Error]]] = [
        [Error],
        *([cls for _, cls in _walk(root, "", "")] for root in _children(Error)),
    ]
    lines: list[str] = []
    for family in families:
        root = family[0].__name__
        title = f"`{root}`" if len(family) == 1 else f"`{root}` and its subclasses"
        lines += [f"## {title}", ""]
        for cls in family:
            entries = by_class[cls.__name__]
            first = entries[0]
            if len(entries) == 1:
                lines += [f"### `{first['code']}` {{#{first['code']}}}", ""]
                lines += [_facts(first), "", first["description"], "", *_remedy(first)]
                continue
            lines += [f"### `{cls.__name__}`: {len(entries)} codes {{#{cls.__name__}}}", ""]
            lines += [_facts(first), "", first["description"], "", *_remedy(first)]
            for entry in entries:
                code = entry["code"]
                note = " The class's default code." if code == cls.code else ""
                lines += [f"#### `{code}` {{#{code}}}", "", _CODE_MEANINGS[code] + note, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def tree_markdown() -> str:
    """The tree as a nested Markdown list, for the docs: each class linked to the reference.

    Each item names the class (and its builtin or second base), its code linked to the
    catalog entry, and its default HTTP status.
    """
    lines = []
    for prefix, cls in _walk(Error, "", ""):
        depth = len(prefix) // 4
        name = cls.__name__
        item = f"[`{name}`][{REFERENCE}.{name}]"
        if len(cls.__bases__) > 1:
            item += f" (+ `{cls.__bases__[1].__name__}`)"
        item += f" · [`{cls.code}`](codes.md#{cls.code})"
        status = _status(cls)
        if status is not None:
            item += f" · {status}"
        lines.append(f"{'    ' * depth}- {item}")
    return "\n".join(lines) + "\n"


def _folded(name: str) -> str:
    """Normal form of a code or class name for lookups: case-folded, ``-`` and spaces as ``_``."""
    return "_".join(name.replace("-", " ").split()).casefold()


def _find_class(name: str) -> type[Error] | None:
    """Look a code or a class name up, in any case."""
    wanted = _folded(name)
    for cls in classes():
        codes = _codes_of(cls)
        if wanted == cls.__name__.casefold() or wanted in {code.casefold() for code in codes}:
            return cls
    return None


def _suggestions(name: str) -> list[str]:
    """The codes and class names closest to a name that matched none, best first."""
    known: dict[str, str] = {}
    for entry in catalog():
        known.setdefault(entry["code"].casefold(), entry["code"])
        known.setdefault(entry["class"].casefold(), entry["class"])
    close = difflib.get_close_matches(_folded(name), list(known), n=3, cutoff=0.6)
    return [known[match] for match in close]


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


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


_LABEL_WIDTH = len("retry_after") + 1  # the longest label, and a space


def _print_error(error: BaseException) -> None:
    """Print an error's class, ``str()`` and ``to_dict()`` for people, the values aligned."""

    def row(label: str, value: object) -> None:
        print(f"{label:<{_LABEL_WIDTH}}{value}")

    row("class", type(error).__name__)
    row("str()", error)
    if isinstance(error, Error):
        row("retryable", error.retryable)
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            row("retry_after", retry_after)
        print("to_dict()")
        print(json.dumps(error.to_dict(), indent=2))


def _cmd_tree(args: argparse.Namespace) -> int:
    """Print the tree, then map a sample 429 response."""
    print("errorkit exception hierarchy (class, code, default HTTP status)\n")
    print("\n".join(tree_lines()))
    print("\nA sample HTTP 429 response, mapped by errorkit.error_from_response:\n")
    _print_error(http_mapping.error_from_response(_SampleResponse(), provider="reports"))
    return 0


def _cmd_codes(args: argparse.Namespace) -> int:
    """Print the catalog of codes."""
    entries = catalog()
    if args.json:
        print(json.dumps(entries, indent=2))
    elif args.markdown:
        print(catalog_markdown(), end="")
    else:
        widths = [max(len(str(e[key])) for e in entries) for key in ("code", "class")]
        for entry in entries:
            status = "" if entry["status"] is None else str(entry["status"])
            print(
                f"{entry['code']:<{widths[0]}}  {entry['class']:<{widths[1]}}  {status:>3}  "
                f"exit {entry['exit_code']}  retryable: {_retryable_text(entry):<5}  "
                f"{entry['description']}"
            )
    return 0


def _either(names: list[str]) -> str:
    """Join names as ``A``, ``A or B``, ``A, B or C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _cmd_explain(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Explain one code or class."""
    cls = _find_class(args.code)
    if cls is None:
        close = _suggestions(args.code)
        hint = f"did you mean {_either(close)}? " if close else ""
        parser.error(
            f"unknown error code or class {args.code!r} ({hint}see `python -m errorkit codes`)"
        )
    entries = [e for e in catalog() if e["class"] == cls.__name__]
    wanted = _folded(args.code)
    entry = next((e for e in entries if e["code"].casefold() == wanted), entries[0])
    summary, body = _doc_parts(cls)
    remedy = _remedy_of(cls)
    bases = ", ".join(_public(base).__name__ for base in cls.__bases__)
    status = _status(cls)
    print(f"{entry['code']}: {cls.__name__}({bases})")
    facts = [f"HTTP status {status}"] if status is not None else []
    facts += [f"retryable: {_retryable_text(entry)}", f"exit code {cls.exit_code}"]
    print(" · ".join(facts))
    print(f"\n{summary}")
    if body:
        print(f"\n{body}")
    if remedy:
        print(f"\nWhat to do: {remedy}")
    return 0


# The headers ``retry_after_from_headers`` reads, with the form each one takes.
_WAIT_HEADERS = {
    "retry-after": "a number of seconds or an HTTP date",
    "retry-after-ms": "a number of milliseconds",
    "ratelimit-reset": "a number of seconds",
    "x-ratelimit-reset": "a number of seconds or a Unix time",
}


def _parse_headers(values: Sequence[str], parser: argparse.ArgumentParser) -> dict[str, str]:
    """Read ``NAME:VALUE`` header arguments; warn about a wait header that cannot be read."""
    headers = {}
    for value in values:
        name, colon, content = value.partition(":")
        if not colon or not name.strip():
            parser.error(f"--header takes NAME:VALUE, got {value!r}")
        headers[name.strip()] = content.strip()
    for name, content in headers.items():
        form = _WAIT_HEADERS.get(name.lower())
        if form and http_mapping.retry_after_from_headers({name: content}) is None:
            print(
                redact_text(
                    f"{parser.prog}: warning: ignoring {name}: {content!r}, which is not {form}"
                ),
                file=sys.stderr,
            )
    return headers


def _parse_body(text: str | None) -> Any:
    """Return the body as JSON data when it parses, else as text."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _cmd_map(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Map a status (with headers and body) to the typed error."""
    try:
        status = int(args.status)
    except ValueError:
        parser.error(f"STATUS must be a number, got {args.status!r}")
    if not 400 <= status <= 599:
        parser.error(f"STATUS must be an HTTP error status (400 to 599), got {status}")
    headers = _parse_headers(args.header, parser)
    body = _parse_body(args.body)
    error: Error
    if args.connector:
        error = http_mapping.connector_error_for_status(
            args.provider or "connector", status, headers=headers, response_body=body
        )
    else:
        error = http_mapping.error_for_status(
            status, headers=headers, response_body=body, provider=args.provider
        )
    if args.json:
        print(
            json.dumps(
                {"class": type(error).__name__, "str": str(error), "to_dict": error.to_dict()},
                indent=2,
            )
        )
    else:
        _print_error(error)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON schema of the ``to_dict()`` payload."""
    try:
        from errorkit.integrations.pydantic import ErrorPayload
    except ImportError:
        print("errorkit schema needs pydantic: pip install 'errorkit[pydantic]'", file=sys.stderr)
        return 1
    print(json.dumps(ErrorPayload.model_json_schema(), indent=2))
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors quote the arguments masked, as every output is."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and ``message`` with its secrets masked; exit with status 2."""
        super().error(redact_text(message))


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser; each subcommand's parser is its ``parser`` default."""
    parser = _Parser(
        prog="python -m errorkit",
        description="Explore the errorkit hierarchy, its codes and the HTTP status mapping.",
    )
    parser.add_argument("--version", action="version", version=f"errorkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    codes = commands.add_parser("codes", help="list every error code")
    formats = codes.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="print JSON")
    formats.add_argument(
        "--markdown", action="store_true", help="print the Markdown of the docs' catalog page"
    )
    explain = commands.add_parser("explain", help="explain an error code or class")
    explain.add_argument("code", metavar="CODE", help="an error code or class name, in any case")
    mapping = commands.add_parser("map", help="map an HTTP status to its typed error")
    mapping.add_argument("status", metavar="STATUS", help="the HTTP status, 400 to 599, e.g. 429")
    mapping.add_argument(
        "--header", action="append", default=[], metavar="NAME:VALUE", help="a response header"
    )
    mapping.add_argument("--body", metavar="TEXT", help="the response body (JSON or text)")
    mapping.add_argument("--provider", metavar="P", help="the provider that answered")
    mapping.add_argument(
        "--connector", action="store_true", help="use the connector (agent-facing) mapping"
    )
    mapping.add_argument("--json", action="store_true", help="print JSON")
    schema = commands.add_parser("schema", help="print the JSON schema of to_dict()")
    for command in (codes, explain, mapping, schema):
        command.set_defaults(parser=command)
    parser.set_defaults(parser=parser)
    return parser


def _run(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run the command."""
    args = _parser().parse_args(argv)
    if args.command == "codes":
        return _cmd_codes(args)
    if args.command == "explain":
        return _cmd_explain(args, args.parser)
    if args.command == "map":
        return _cmd_map(args, args.parser)
    if args.command == "schema":
        return _cmd_schema(args)
    return _cmd_tree(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status.

    When standard output is closed early (``| head -1``), stop quietly with status 0, as
    Unix tools do, instead of printing a ``BrokenPipeError`` traceback.
    """
    try:
        status = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at devnull, so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 0
    return status
