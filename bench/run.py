"""Side-by-side benchmark of errorkit and its peers: ``make bench`` or ``python bench/run.py``.

Every figure is a ratio against a baseline measured in the same process and run, because
the machines we run on are shared and noisy: absolute times alone mean little. The
statements of one group (a baseline and everything compared with it) are timed in short
samples, one of each per round, in an order that reverses every round (ABBA: A B C, C B A,
...), so a burst of load hits every side; the printed times are the medians of each side's
samples and a ratio is the median of the ratios of samples taken in the same round.

The baselines: the **floor**, a hand-written ``__slots__`` class storing the same fields as
the fully loaded 429 (the budget's reference); the **naive** class most projects write
(stores each field, builds its details dict, ``to_dict()`` returns it uncopied); the
peers' own 429 exceptions (openai ``RateLimitError`` on an ``httpx.Response``, google-api-core
``TooManyRequests``, botocore ``ClientError``), installed by the ``bench`` extra, printed as
informative rows (``not installed`` when missing). ``error_from_response`` is also compared, as
an informative row, with the same error built **by hand** from the same httpx response (its
body decoded, its headers read), beside its budget row against values already decoded; the
rows under that budget row give what it costs when each call reads another of 2000 equal
responses (none reused back to back), and what decoding the body alone costs. The script checks the
performance budgets and prints PASS or OVER for each; it never fails on a budget (timings are
not assertions), but it stops with an error if a comparison stops being fair (the mapped error
no longer equals the one built by hand, say).
"""

from __future__ import annotations

import gc
import importlib
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import errorkit
from errorkit import ConnectorRateLimitError, RateLimitError, error_for_status

if TYPE_CHECKING:
    from collections.abc import Callable

REPEATS = 51  # rounds: timing samples per side, interleaved with the baseline's
SAMPLE_SECONDS = 0.006  # how long one sample runs, roughly: short, so both sides see the same load
IMPORT_RUNS = 15  # subprocess runs per side for the import figure
MEMORY_INSTANCES = 2000


def _optional(name: str) -> Any:
    """Import a peer that the ``bench`` extra installs, or return None when it is missing."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


httpx = _optional("httpx")
openai = _optional("openai")
google_exceptions = _optional("google.api_core.exceptions")
botocore_exceptions = _optional("botocore.exceptions")

# ---------------------------------------------------------------------------
# Fixtures: one realistic 429 with its full request context
# ---------------------------------------------------------------------------

MESSAGE = "Rate limit exceeded"
URL = "https://api.example.com/v1/chat/completions?model=gpt-4o&stream=false"
BODY: dict[str, Any] = {"error": {"message": "Too many requests", "type": "rate_limit_error"}}
CONTEXT: dict[str, Any] = {
    "response_body": BODY,
    "request_method": "POST",
    "request_url": URL,
    "request_params": {"model": "gpt-4o", "stream": False},
    "request_body": {"messages": [{"role": "user", "content": "Summarise the report."}]},
    "request_id": "req_8d1f2a",
    "provider": "openai",
}
ROWS: list[dict[str, Any]] = [
    {
        "id": i,
        "name": f"user {i}",
        "email": f"user{i}@example.com",
        "score": i * 1.5,
        "active": i % 2 == 0,
        "tags": ["alpha", "beta"],
    }
    for i in range(200)
]
HEADERS = {
    "Date": "Fri, 21 Nov 2025 09:00:00 GMT",
    "Content-Type": "application/json",
    "Content-Length": "74",
    "Retry-After": "30",
    "X-Request-ID": "req_8d1f2a",
}
# The message error_from_response(RESPONSE) takes from the body; the direct construction too.
MAPPED_MESSAGE = "Too many requests"
RESPONSE = (
    httpx.Response(429, headers=HEADERS, json=BODY, request=httpx.Request("POST", URL))
    if httpx is not None
    else None
)
# The same response received again and again: as many distinct objects (their own URL, headers
# and body bytes, equal in value), taken in turn, so no figure rests on one object being reused.
FRESH_RESPONSES = 2000
RESPONSES = (
    itertools.cycle(
        [
            httpx.Response(429, headers=HEADERS, json=BODY, request=httpx.Request("POST", URL))
            for _ in range(FRESH_RESPONSES)
        ]
    )
    if httpx is not None
    else None
)
# botocore's form of the same 429: the parsed error response of a throttled call.
BOTO_RESPONSE: dict[str, Any] = {
    "Error": {"Code": "ThrottlingException", "Message": MESSAGE},
    "ResponseMetadata": {
        "RequestId": "req_8d1f2a",
        "HTTPStatusCode": 429,
        "HTTPHeaders": {k.lower(): v for k, v in HEADERS.items()},
        "RetryAttempts": 0,
    },
}
CONNECTOR_DIRECTIVE = (
    "DO NOT retry this tool immediately; pick a different connector, ask the user, or stop."
)


class SlotsRateLimitError(Exception):
    """The floor: a hand-written ``__slots__`` class storing the fields of the loaded 429."""

    __slots__ = (
        "code",
        "message",
        "project_id",
        "provider",
        "request_body",
        "request_id",
        "request_method",
        "request_params",
        "request_url",
        "response_body",
        "retry_after",
        "status_code",
    )

    def __init__(
        self,
        message: str = "Rate limit exceeded",
        *,
        status_code: int = 429,
        retry_after: float | None = None,
        project_id: str | None = None,
        response_body: Any = None,
        request_method: str | None = None,
        request_url: str | None = None,
        request_params: dict[str, Any] | None = None,
        request_body: Any = None,
        request_id: str | None = None,
        provider: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = "RATE_LIMITED"
        self.status_code = status_code
        self.retry_after = retry_after
        self.project_id = project_id
        self.response_body = response_body
        self.request_method = request_method
        self.request_url = request_url
        self.request_params = request_params
        self.request_body = request_body
        self.request_id = request_id
        self.provider = provider


class SlotsConnectorRateLimitError(Exception):
    """The connector floor: the same shape as ``ConnectorRateLimitError``, written by hand.

    Provider and duration, the quota flag, the epoch-timestamp check and the composed
    agent-facing message.
    """

    __slots__ = ("message", "provider", "quota_exhausted", "retry_after")

    def __init__(
        self,
        provider: str,
        retry_after: float,
        *,
        quota_exhausted: bool = False,
        message: str | None = None,
    ) -> None:
        if retry_after > 86400:
            raise ValueError(f"retry_after={retry_after!r} looks like a timestamp")
        self.provider = provider
        self.retry_after = retry_after
        self.quota_exhausted = quota_exhausted
        self.message = message or (
            f"{provider}: rate limit hit, retry after {retry_after:.0f}s. {CONNECTOR_DIRECTIVE}"
        )
        super().__init__(self.message)


class NaiveRateLimitError(Exception):
    """The reference most projects write by hand.

    It stores each attribute, builds its details dict in ``__init__`` and returns it from
    ``to_dict()`` without copying: no redaction, no JSON safety, no truncation.
    """

    def __init__(
        self,
        message: str = "Rate limit exceeded",
        *,
        status_code: int = 429,
        retry_after: float | None = None,
        project_id: str | None = None,
        response_body: Any = None,
        request_method: str | None = None,
        request_url: str | None = None,
        request_params: dict[str, Any] | None = None,
        request_body: Any = None,
        request_id: str | None = None,
        provider: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = "RATE_LIMITED"
        self.status_code = status_code
        self.retry_after = retry_after
        self.project_id = project_id
        self.response_body = response_body
        self.request_method = request_method
        self.request_url = request_url
        self.request_params = request_params
        self.request_body = request_body
        self.request_id = request_id
        self.provider = provider
        self.details = {
            "status_code": status_code,
            "response_body": response_body,
            "request_method": request_method,
            "request_url": request_url,
            "request_params": request_params,
            "request_body": request_body,
            "request_id": request_id,
            "provider": provider,
            "retry_after": retry_after,
            "project_id": project_id,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the details as they are."""
        return {"code": self.code, "message": self.message, "details": self.details}


class EmptyInitError(Exception):
    """What any class taking these keywords costs before its ``__init__`` does anything."""

    def __init__(
        self,
        message: str = "Rate limit exceeded",
        *,
        status_code: int = 429,
        retry_after: float | None = None,
        project_id: str | None = None,
        response_body: Any = None,
        request_method: str | None = None,
        request_url: str | None = None,
        request_params: dict[str, Any] | None = None,
        request_body: Any = None,
        request_id: str | None = None,
        provider: str | None = None,
    ) -> None:
        pass


NAMESPACE: dict[str, Any] = {
    "SlotsRateLimitError": SlotsRateLimitError,
    "SlotsConnectorRateLimitError": SlotsConnectorRateLimitError,
    "NaiveRateLimitError": NaiveRateLimitError,
    "EmptyInitError": EmptyInitError,
    "RateLimitError": RateLimitError,
    "ConnectorRateLimitError": ConnectorRateLimitError,
    "error_for_status": error_for_status,
    "error_from_response": errorkit.error_from_response,
    "json": json,
    "MESSAGE": MESSAGE,
    "MAPPED_MESSAGE": MAPPED_MESSAGE,
    "URL": URL,
    "BODY": BODY,
    "CONTEXT": CONTEXT,
    "HEADERS": HEADERS,
    "RESPONSE": RESPONSE,
    "RESPONSES": RESPONSES,
    "BOTO_RESPONSE": BOTO_RESPONSE,
    "openai": openai,
    "google_exceptions": google_exceptions,
    "botocore_exceptions": botocore_exceptions,
    "small": RateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT),
    "naive_small": NaiveRateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT),
    "big": RateLimitError(MESSAGE, **{**CONTEXT, "response_body": {"data": ROWS}}),
    "naive_big": NaiveRateLimitError(MESSAGE, **{**CONTEXT, "response_body": {"data": ROWS}}),
}

FULL_ARGS = "MESSAGE, retry_after=30.0, project_id='proj_42', **CONTEXT"
CONNECTOR_ARGS = "'openai', 30.0"
# Each peer's 429 carrying the same facts: message, status, response (headers, body), request.
PEER_ARGS = {
    "openai": ("openai.RateLimitError", "MESSAGE, response=RESPONSE, body=BODY"),
    "google-api-core": (
        "google_exceptions.TooManyRequests",
        "MESSAGE, errors=(BODY,), details=(BODY,), response=RESPONSE",
    ),
    "botocore": ("botocore_exceptions.ClientError", "BOTO_RESPONSE, 'ChatCompletions'"),
}
PEER_INSTALLED = {
    "openai": openai is not None and httpx is not None,
    "google-api-core": google_exceptions is not None,
    "botocore": botocore_exceptions is not None,
}


def _raise(cls: str, args: str) -> str:
    """Return the statement that raises ``cls(args)`` and catches it."""
    return f"try:\n    raise {cls}({args})\nexcept {cls}:\n    pass"


def _build(cls: str, args: str) -> Callable[[], Exception]:
    """Return a function building ``cls(args)`` in the benchmark's namespace."""
    built: Callable[[], Exception] = eval(f"lambda: {cls}({args})", NAMESPACE)
    return built


RAISE_ERRORKIT = _raise("RateLimitError", FULL_ARGS)
RAISE_SLOTS = _raise("SlotsRateLimitError", FULL_ARGS)
RAISE_NAIVE = _raise("NaiveRateLimitError", FULL_ARGS)
RAISE_EMPTY = _raise("EmptyInitError", FULL_ARGS)
RAISE_CONNECTOR = _raise("ConnectorRateLimitError", CONNECTOR_ARGS)
RAISE_SLOTS_CONNECTOR = _raise("SlotsConnectorRateLimitError", CONNECTOR_ARGS)

# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table."""

    figure: str
    subject: float  # seconds (or bytes, or ms for the import figure); NaN: not installed
    baseline: float
    baseline_name: str
    budget: float | None  # the highest allowed ratio, bytes or added ms; None: informative
    measure: float  # what the budget is compared with: the ratio, the bytes or the added ms
    unit: str = "time"  # "time", "bytes" or "ms-added"

    @property
    def missing(self) -> bool:
        """True when the row's subject is a peer that is not installed."""
        return math.isnan(self.subject)

    @property
    def verdict(self) -> str:
        """PASS, OVER, or a dash when there is no budget."""
        if self.budget is None or self.missing:
            return "-"
        return "PASS" if self.measure <= self.budget else "OVER"


def _loops(timer: timeit.Timer) -> int:
    """Pick a loop count so that one sample takes about ``SAMPLE_SECONDS``."""
    number = 1
    while timer.timeit(number) < SAMPLE_SECONDS / 10 and number < 1 << 22:
        number *= 4
    return max(1, int(number * SAMPLE_SECONDS / max(timer.timeit(number), 1e-9)))


def interleave(run: Callable[[int], float], sides: int, repeats: int) -> list[list[float]]:
    """Call ``run(side)`` for every side once per round, the order reversing every round."""
    samples: list[list[float]] = [[] for _ in range(sides)]
    order = list(range(sides))
    for repeat in range(repeats):
        for side in order if repeat % 2 == 0 else reversed(order):
            samples[side].append(run(side))
    return samples


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """The median ratio of samples taken in the same round."""
    return statistics.median(s / b for s, b in zip(subject, baseline, strict=True))


def compare_group(baseline: str, subjects: list[str]) -> list[tuple[float, float, float]]:
    """Time a baseline and several statements interleaved in one run.

    Returns, per subject: its median seconds per run, the baseline's, and the paired ratio.
    """
    statements = [baseline, *subjects]
    timers = [timeit.Timer(stmt, globals=NAMESPACE) for stmt in statements]
    numbers = [_loops(timer) for timer in timers]
    samples = interleave(
        lambda side: timers[side].timeit(numbers[side]) / numbers[side], len(timers), REPEATS
    )
    floor = samples[0]
    return [
        (statistics.median(ours), statistics.median(floor), paired_ratio(ours, floor))
        for ours in samples[1:]
    ]


def _clean_env() -> dict[str, str]:
    """The environment for subprocesses: bytecode caching on, as in any real install."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_times() -> tuple[float, float, float]:
    """Median wall ms of ``python -c 'import errorkit'`` and ``-c pass``, and the paired gap."""
    env = _clean_env()
    commands = [[sys.executable, "-c", "import errorkit"], [sys.executable, "-c", "pass"]]
    for command in commands:  # warm up: write the bytecode caches, fill the OS page cache
        subprocess.run(command, env=env, check=True)

    def run(side: int) -> float:
        start = time.perf_counter()
        subprocess.run(commands[side], env=env, check=True)
        return (time.perf_counter() - start) * 1000

    ours, bare = interleave(run, 2, IMPORT_RUNS)
    added = statistics.median(o - b for o, b in zip(ours, bare, strict=True))
    return statistics.median(ours), statistics.median(bare), added


def imported_modules() -> list[str]:
    """The modules ``import errorkit`` adds to a bare interpreter, sorted."""
    code = (
        "import sys; before = set(sys.modules); import errorkit; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_clean_env(), check=True, capture_output=True, text=True
    )
    return result.stdout.split()


def import_profile() -> list[tuple[str, int, int]]:
    """``-X importtime`` rows (module, self µs, cumulative µs) for what errorkit imports."""
    env = _clean_env()
    command = [sys.executable, "-X", "importtime", "-c", "import errorkit"]
    stderr = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stderr
    added = set(imported_modules())
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        if name.strip() in added:
            rows.append((name.rstrip(), int(self_us), int(cumulative_us)))
    return rows


def memory_per_instance(build: Callable[[], Exception]) -> float:
    """Bytes ``tracemalloc`` sees allocated per instance that ``build()`` returns."""
    build()  # caches, interned strings and the like are not per instance
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [build() for _ in range(MEMORY_INSTANCES)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    list_bytes = sys.getsizeof(keep)  # the holding list is not the errors'
    del keep
    return (after - before - list_bytes) / MEMORY_INSTANCES


# ---------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------

# Modules errorkit has no reason to load at import time: they can wait for first use.
DEFERRABLE = (
    "json",
    "re",
    "urllib",
    "datetime",
    "email",
    "math",
    "contextlib",
    "typing",
    "typing_extensions",
    "dataclasses",
    "decimal",
    "uuid",
    "pathlib",
    "enum",
    "pickle",
    "inspect",
    "collections",
)

BUDGET_RAISE = 1.5  # raise + catch of the loaded 429, ÷ the floor
BUDGET_CONNECTOR = 1.5  # connector 429 raise + catch, ÷ the floor of the same shape
BUDGET_MEMORY = 450.0  # bytes per loaded instance
BUDGET_TO_JSON_SMALL = 1.4  # to_json() ÷ naive json.dumps(to_dict()), small error
BUDGET_TO_JSON_ROWS = 1.8  # the same, 200-row body
BUDGET_TO_DICT_SMALL = 1.6  # to_dict() + json.dumps ÷ naive, small error
BUDGET_FOR_STATUS = 1.5  # error_for_status(429, headers=...) ÷ direct construction
BUDGET_FROM_RESPONSE = 2.0  # error_from_response(httpx.Response) ÷ direct construction
BUDGET_IMPORT_MS = 5.0  # import errorkit, ms over a bare interpreter


def check_fixtures() -> None:
    """Make sure each pair compares like with like before timing it."""
    via_mapping = error_for_status(429, headers=HEADERS)
    direct = RateLimitError(retry_after=30.0, request_id="req_8d1f2a")
    if type(via_mapping) is not type(direct) or via_mapping.to_dict() != direct.to_dict():
        raise SystemExit("error_for_status(429) no longer equals the direct construction")
    if RESPONSE is not None:
        via_response = errorkit.error_from_response(RESPONSE)
        direct = eval(DIRECT_FROM_RESPONSE, NAMESPACE)
        if type(via_response) is not type(direct) or via_response.to_dict() != direct.to_dict():
            raise SystemExit("error_from_response(429) no longer equals the direct construction")
        scope = dict(NAMESPACE)
        exec(BY_HAND_FROM_RESPONSE.replace("Rate", "by_hand = Rate", 1), scope)
        by_hand = scope["by_hand"]
        if type(via_response) is not type(by_hand) or via_response.to_dict() != by_hand.to_dict():
            raise SystemExit("error_from_response(429) no longer equals the error built by hand")
        assert RESPONSES is not None
        for _ in range(FRESH_RESPONSES + 1):  # each of them, one twice: read as the one reused
            again = errorkit.error_from_response(next(RESPONSES))
            if type(again) is not type(direct) or again.to_dict() != direct.to_dict():
                raise SystemExit("error_from_response(429) differs from one response to another")
    for name in ("small", "big"):
        error = NAMESPACE[name]
        if error.to_json() != json.dumps(error.to_dict(), allow_nan=False):
            raise SystemExit(f"{name}.to_json() no longer equals json.dumps(to_dict())")
    connector = ConnectorRateLimitError("openai", 30.0)
    floor = SlotsConnectorRateLimitError("openai", 30.0)
    if connector.message != floor.message:
        raise SystemExit("the connector floor no longer composes the same message")


DIRECT_FROM_RESPONSE = (
    "RateLimitError(MAPPED_MESSAGE, retry_after=30.0, request_id='req_8d1f2a', "
    "response_body=BODY, request_method='POST', request_url=URL)"
)
# The same error built from the same response by hand, as a user would without errorkit's
# mapping: the body decoded once, the message, wait and request id read from it and the headers.
BY_HAND_FROM_RESPONSE = """\
body = RESPONSE.json()
headers = RESPONSE.headers
RateLimitError(
    body["error"]["message"],
    retry_after=float(headers["retry-after"]),
    request_id=headers.get("x-request-id"),
    response_body=body,
    request_method=RESPONSE.request.method,
    request_url=str(RESPONSE.request.url),
)"""


def _timed_rows(
    baseline: str, baseline_name: str, figures: list[tuple[str, str | None, float | None]]
) -> list[Row]:
    """Time ``figures`` (name, statement or None when not installed, budget) in one group."""
    present = [stmt for _, stmt, _ in figures if stmt is not None]
    results = iter(compare_group(baseline, present))
    rows = []
    for figure, stmt, budget in figures:
        if stmt is None:
            nan = math.nan
            rows.append(Row(figure, nan, nan, baseline_name, budget, nan))
            continue
        subject, floor, ratio = next(results)
        rows.append(Row(figure, subject, floor, baseline_name, budget, ratio))
    return rows


def measure() -> tuple[list[Row], list[str], list[tuple[str, int, int]]]:
    """Run every measurement; return the table rows, the added modules and the profile."""
    raise_figures: list[tuple[str, str | None, float | None]] = [
        ("raise+catch, loaded 429", RAISE_ERRORKIT, BUDGET_RAISE),
        ("  naive class", RAISE_NAIVE, None),
        ("  empty __init__, same keywords", RAISE_EMPTY, None),
    ]
    for peer, (cls, args) in PEER_ARGS.items():
        stmt = _raise(cls, args) if PEER_INSTALLED[peer] else None
        raise_figures.append((f"  peer: {peer}", stmt, None))
    rows = _timed_rows(RAISE_SLOTS, "floor", raise_figures)
    rows += _timed_rows(
        RAISE_SLOTS_CONNECTOR,
        "floor",
        [("connector 429 raise+catch", RAISE_CONNECTOR, BUDGET_CONNECTOR)],
    )
    rows += _timed_rows(
        "json.dumps(naive_small.to_dict())",
        "naive",
        [
            ("to_json(), small error", "small.to_json()", BUDGET_TO_JSON_SMALL),
            (
                "to_dict() + json.dumps, small error",
                "json.dumps(small.to_dict())",
                BUDGET_TO_DICT_SMALL,
            ),
        ],
    )
    rows += _timed_rows(
        "json.dumps(naive_big.to_dict())",
        "naive",
        [
            ("to_json(), 200-row body", "big.to_json()", BUDGET_TO_JSON_ROWS),
            ("to_dict() + json.dumps, 200-row body", "json.dumps(big.to_dict())", None),
        ],
    )
    rows += _timed_rows(
        "RateLimitError(retry_after=30.0, request_id='req_8d1f2a')",
        "direct",
        [
            (
                "error_for_status(429, headers=...)",
                "error_for_status(429, headers=HEADERS)",
                BUDGET_FOR_STATUS,
            )
        ],
    )
    installed = RESPONSE is not None  # httpx, which the ``bench`` extra installs
    rows += _timed_rows(
        DIRECT_FROM_RESPONSE,
        "direct",
        [
            (
                "error_from_response(httpx.Response)",
                "error_from_response(RESPONSE)" if installed else None,
                BUDGET_FROM_RESPONSE,
            ),
            (
                f"  error_from_response, {FRESH_RESPONSES} responses in turn",
                "error_from_response(next(RESPONSES))" if installed else None,
                None,
            ),
            ("  RESPONSE.json() alone", "RESPONSE.json()" if installed else None, None),
            ("  RESPONSE.text alone (kept by httpx)", "RESPONSE.text" if installed else None, None),
        ],
    )
    by_hand = "error_from_response(httpx.Response) ÷ reading the response by hand"
    if installed:
        rows += _timed_rows(
            BY_HAND_FROM_RESPONSE,
            "by hand",
            [(by_hand, "error_from_response(RESPONSE)", None)],
        )
    else:
        rows.append(Row(by_hand, math.nan, math.nan, "by hand", None, math.nan))
    ours_ms, bare_ms, added_ms = import_times()
    rows.append(
        Row(
            "import errorkit, wall",
            ours_ms,
            bare_ms,
            "-c pass",
            BUDGET_IMPORT_MS,
            added_ms,
            "ms-added",
        )
    )
    floor_bytes = memory_per_instance(_build("SlotsRateLimitError", FULL_ARGS))
    memory: list[tuple[str, Callable[[], Exception] | None, float | None]] = [
        ("memory per loaded RateLimitError", _build("RateLimitError", FULL_ARGS), BUDGET_MEMORY),
        ("  naive class", _build("NaiveRateLimitError", FULL_ARGS), None),
    ]
    for peer, (cls, args) in PEER_ARGS.items():
        memory.append(
            (f"  peer: {peer}", _build(cls, args) if PEER_INSTALLED[peer] else None, None)
        )
    for figure, build, budget in memory:
        size = memory_per_instance(build) if build is not None else math.nan
        rows.append(Row(figure, size, floor_bytes, "floor", budget, size, "bytes"))
    return rows, imported_modules(), import_profile()


# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------


def _time(seconds: float) -> str:
    """Format a duration with a sensible unit."""
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e9:.0f} ns"


def _cells(row: Row) -> tuple[str, str, str, str, str, str]:
    """The printed cells of a row."""
    if row.unit == "bytes":
        subject, baseline = f"{row.subject:.0f} B", f"{row.baseline:.0f} B"
        ratio = f"{row.subject / row.baseline:.2f}x"
        budget = f"<= {row.budget:.0f} B" if row.budget is not None else "-"
    elif row.unit == "ms-added":
        subject, baseline = f"{row.subject:.1f} ms", f"{row.baseline:.1f} ms"
        ratio = f"+{row.measure:.1f} ms"
        budget = f"<= +{row.budget:.0f} ms" if row.budget is not None else "-"
    else:
        subject, baseline = _time(row.subject), _time(row.baseline)
        ratio = f"{row.measure:.2f}x"
        budget = f"<= {row.budget:.1f}x" if row.budget is not None else "-"
    if row.missing:
        subject, baseline, ratio = "not installed", f"- ({row.baseline_name})", "-"
    else:
        baseline = f"{baseline} ({row.baseline_name})"
    return subject, baseline, ratio, budget, row.verdict, row.figure


def table(rows: list[Row]) -> str:
    """Render the rows as a Markdown table (readable as plain text too)."""
    header = ("figure", "subject", "baseline", "ratio", "budget", "result")
    lines = [
        (figure, subject, baseline, ratio, budget, verdict)
        for subject, baseline, ratio, budget, verdict, figure in map(_cells, rows)
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def render(cells: tuple[str, ...]) -> str:
        padded = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return "\n".join([render(header), rule, *map(render, lines)])


def _versions() -> str:
    """The peers' versions, or ``not installed``."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("openai", "google-api-core", "botocore", "httpx"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def main() -> int:
    """Measure, print the table and the import report; return the exit status."""
    started = time.perf_counter()
    check_fixtures()
    rows, added, profile = measure()
    print(
        f"errorkit {errorkit.__version__} on Python {sys.version.split()[0]} "
        f"({sys.platform}); times: median of {REPEATS} interleaved samples, "
        f"ratio: median of paired ratios; import: median of {IMPORT_RUNS} paired runs"
    )
    print(f"peers: {_versions()}\n")
    print(table(rows))
    stdlib = set(sys.stdlib_module_names)
    third_party = sorted({m.partition(".")[0] for m in added} - stdlib - {"errorkit"})
    deferrable = sorted(m for m in added if m.partition(".")[0] in DEFERRABLE and "." not in m)
    print(f"\nimport errorkit loads {len(added)} modules beyond a bare interpreter.")
    print(
        f"  third-party: {', '.join(third_party) or 'none'}  [{'OVER' if third_party else 'PASS'}]"
    )
    print(
        f"  deferrable ({', '.join(DEFERRABLE[:4])}, ...): {', '.join(deferrable) or 'none'}"
        f"  [{'OVER' if deferrable else 'PASS'}]"
    )
    print("\npython -X importtime -c 'import errorkit' (modules errorkit adds; µs):")
    print(f"  {'self':>6} {'cumul.':>7}  module")
    for name, self_us, cumulative_us in profile:
        print(f"  {self_us:>6} {cumulative_us:>7}  {name}")
    over = [row.figure.strip() for row in rows if row.verdict == "OVER"]
    if third_party or deferrable:
        over.append("import loads deferrable or third-party modules")
    print(f"\n{len(over)} budget(s) over" + (": " + "; ".join(over) if over else ""))
    print(f"(bench took {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
