"""Side-by-side benchmark of errorkit: ``make bench`` or ``python bench/run.py``.

Every figure is a ratio against a baseline measured in the same process and run, because
the machines we run on are shared and noisy: absolute times alone mean little. Errorkit
and its baseline are timed in short samples that alternate (ABBA order), so a burst of load
hits both sides; the printed times are the medians of each side's samples and the ratio is
the median of the ratios of neighbouring samples. The script checks the performance
budgets and prints PASS or OVER for each; it never fails on a budget (timings are not
assertions), but it stops with an error if a comparison stops being fair (the mapped
error no longer equals the one built by hand, say).

Standard library plus errorkit only.
"""

from __future__ import annotations

import gc
import json
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
from errorkit import RateLimitError, error_for_status

if TYPE_CHECKING:
    from collections.abc import Callable

REPEATS = 51  # timing samples per side, interleaved with the baseline's
SAMPLE_SECONDS = 0.006  # how long one sample runs, roughly: short, so both sides see the same load
IMPORT_RUNS = 15  # subprocess runs per side for the import figure
MEMORY_INSTANCES = 2000

# ---------------------------------------------------------------------------
# Fixtures: one realistic 429 with its full request context
# ---------------------------------------------------------------------------

MESSAGE = "Rate limit exceeded"
CONTEXT: dict[str, Any] = {
    "response_body": {"error": {"message": "Too many requests", "type": "rate_limit_error"}},
    "request_method": "POST",
    "request_url": "https://api.example.com/v1/chat/completions?model=gpt-4o&stream=false",
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


class BareError(Exception):
    """The floor: a bare ``Exception`` subclass."""


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
    "BareError": BareError,
    "NaiveRateLimitError": NaiveRateLimitError,
    "EmptyInitError": EmptyInitError,
    "RateLimitError": RateLimitError,
    "error_for_status": error_for_status,
    "json": json,
    "MESSAGE": MESSAGE,
    "CONTEXT": CONTEXT,
    "HEADERS": HEADERS,
    "small": RateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT),
    "naive_small": NaiveRateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT),
    "big": RateLimitError(MESSAGE, **{**CONTEXT, "response_body": {"data": ROWS}}),
    "naive_big": NaiveRateLimitError(MESSAGE, **{**CONTEXT, "response_body": {"data": ROWS}}),
}


def build_errorkit() -> RateLimitError:
    """The error every errorkit figure uses: a 429 with its full request context."""
    return RateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT)


def build_naive() -> NaiveRateLimitError:
    """The same error, written by hand."""
    return NaiveRateLimitError(MESSAGE, retry_after=30.0, project_id="proj_42", **CONTEXT)


def _raise(cls: str, args: str) -> str:
    """Return the statement that raises ``cls(args)`` and catches it."""
    return f"try:\n    raise {cls}({args})\nexcept {cls}:\n    pass"


FULL_ARGS = "MESSAGE, retry_after=30.0, project_id='proj_42', **CONTEXT"
RAISE_ERRORKIT = _raise("RateLimitError", FULL_ARGS)
RAISE_BARE = _raise("BareError", "MESSAGE")
RAISE_NAIVE = _raise("NaiveRateLimitError", FULL_ARGS)
RAISE_EMPTY = _raise("EmptyInitError", FULL_ARGS)

# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table."""

    figure: str
    subject: float  # errorkit, seconds (or bytes, or ms for the import figure)
    baseline: float
    baseline_name: str
    budget: float | None  # the highest allowed ratio (or added ms); None: informative only
    measure: float  # what the budget is compared with: the ratio, or the added milliseconds
    unit: str = "time"  # "time", "bytes" or "ms-added"

    @property
    def verdict(self) -> str:
        """PASS, OVER, or a dash when there is no budget."""
        if self.budget is None:
            return "-"
        return "PASS" if self.measure <= self.budget else "OVER"


def _loops(timer: timeit.Timer) -> int:
    """Pick a loop count so that one sample takes about ``SAMPLE_SECONDS``."""
    number = 1
    while timer.timeit(number) < SAMPLE_SECONDS / 10 and number < 1 << 22:
        number *= 4
    return max(1, int(number * SAMPLE_SECONDS / max(timer.timeit(number), 1e-9)))


def interleave(run: Callable[[int], float], repeats: int) -> tuple[list[float], list[float]]:
    """Call ``run(side)`` for sides 0 and 1, alternating ABBA; return each side's results."""
    samples: list[list[float]] = [[], []]
    for repeat in range(repeats):
        for side in (0, 1) if repeat % 2 == 0 else (1, 0):
            samples[side].append(run(side))
    return samples[0], samples[1]


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """The median ratio of samples taken next to each other."""
    return statistics.median(s / b for s, b in zip(subject, baseline, strict=True))


def compare(subject: str, baseline: str) -> tuple[float, float, float]:
    """Time two statements; return their median seconds per run and the paired ratio."""
    timers = [timeit.Timer(stmt, globals=NAMESPACE) for stmt in (subject, baseline)]
    numbers = [_loops(timer) for timer in timers]
    ours, theirs = interleave(
        lambda side: timers[side].timeit(numbers[side]) / numbers[side], REPEATS
    )
    return statistics.median(ours), statistics.median(theirs), paired_ratio(ours, theirs)


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

    ours, bare = interleave(run, IMPORT_RUNS)
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
)


def check_fixtures() -> None:
    """Make sure each pair compares like with like before timing it."""
    via_mapping = error_for_status(429, headers=HEADERS)
    direct = RateLimitError(retry_after=30.0, request_id="req_8d1f2a")
    if type(via_mapping) is not type(direct) or via_mapping.to_dict() != direct.to_dict():
        raise SystemExit("error_for_status(429) no longer equals the direct construction")
    for name in ("small", "big"):
        json.dumps(NAMESPACE[name].to_dict(), allow_nan=False)


def measure() -> tuple[list[Row], list[str], list[tuple[str, int, int]]]:
    """Run every measurement; return the table rows, the added modules and the profile."""
    rows: list[Row] = []
    figures = [
        ("raise+catch, full context, vs the floor", RAISE_ERRORKIT, RAISE_BARE, "bare", 3.0),
        ("raise+catch, full context, vs naive", RAISE_ERRORKIT, RAISE_NAIVE, "naive", 1.0),
        ("  (reference: empty __init__, same keywords)", RAISE_EMPTY, RAISE_BARE, "bare", None),
        (
            "to_dict() + json.dumps, small error",
            "json.dumps(small.to_dict())",
            "json.dumps(naive_small.to_dict())",
            "naive",
            1.5,
        ),
        (
            "to_dict() + json.dumps, 200-row body",
            "json.dumps(big.to_dict())",
            "json.dumps(naive_big.to_dict())",
            "naive",
            2.5,
        ),
        (
            "error_for_status(429, headers=...)",
            "error_for_status(429, headers=HEADERS)",
            "RateLimitError(retry_after=30.0, request_id='req_8d1f2a')",
            "direct",
            1.5,
        ),
    ]
    for figure, subject_stmt, baseline_stmt, baseline_name, budget in figures:
        subject, baseline, ratio = compare(subject_stmt, baseline_stmt)
        rows.append(Row(figure, subject, baseline, baseline_name, budget, ratio))
    ours_ms, bare_ms, added_ms = import_times()
    rows.append(
        Row("import errorkit, wall", ours_ms, bare_ms, "-c pass", 10.0, added_ms, "ms-added")
    )
    ours_bytes, naive_bytes = memory_per_instance(build_errorkit), memory_per_instance(build_naive)
    rows.append(
        Row(
            "memory per RateLimitError",
            ours_bytes,
            naive_bytes,
            "naive",
            None,
            ours_bytes / naive_bytes,
            "bytes",
        )
    )
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
    elif row.unit == "ms-added":
        subject, baseline = f"{row.subject:.1f} ms", f"{row.baseline:.1f} ms"
    else:
        subject, baseline = _time(row.subject), _time(row.baseline)
    if row.unit == "ms-added":
        ratio = f"+{row.measure:.1f} ms"
        budget = f"<= +{row.budget:.0f} ms" if row.budget is not None else "-"
    else:
        ratio = f"{row.measure:.2f}x"
        budget = f"<= {row.budget:.1f}x" if row.budget is not None else "-"
    return subject, f"{baseline} ({row.baseline_name})", ratio, budget, row.verdict, row.figure


def table(rows: list[Row]) -> str:
    """Render the rows as a Markdown table (readable as plain text too)."""
    header = ("figure", "errorkit", "baseline", "ratio", "budget", "result")
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


def main() -> int:
    """Measure, print the table and the import report; return the exit status."""
    started = time.perf_counter()
    check_fixtures()
    rows, added, profile = measure()
    print(
        f"errorkit {errorkit.__version__} on Python {sys.version.split()[0]} "
        f"({sys.platform}); times: median of {REPEATS} interleaved samples, "
        f"ratio: median of paired ratios; import: median of {IMPORT_RUNS} paired runs\n"
    )
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
