"""Redaction cost per kilobyte, by shape of text: ``make bench`` or ``python bench/redaction.py``.

For each shape, ``redact_text`` runs on 10 KB, 100 KB and 1 MB of it; the table prints
microseconds per KB at each size and the growth from 10 KB to 1 MB (1.0 means perfectly
linear). Budgets, printed PASS or OVER and never asserted: no shape above 100 µs/KB at any
size, and 1 MB of any shape in well under a second (the 1 MB column, in ms, must stay under
500). The adversarial shapes are the worst found so far: long runs that a backtracking
pattern or a re-scanning loop would read again and again.

Standard library plus errorkit only.
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING

from errorkit.redaction import redact_text

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = (10_000, 100_000, 1_000_000)
BUDGET_US_PER_KB = 100.0
BUDGET_MB_MS = 500.0


def _repeat(unit: str) -> Callable[[int], str]:
    """A shape made of one unit repeated to the size asked for."""
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _json_body(size: int) -> str:
    """A JSON response body: rows of ordinary fields, one secret every tenth row."""
    rows = []
    length = 0
    index = 0
    while length < size:
        row = {"id": index, "name": f"user {index}", "email": f"u{index}@example.com"}
        if index % 10 == 0:
            row["api_key"] = f"sk-proj-{index:024d}"
        text = json.dumps(row)
        rows.append(text)
        length += len(text) + 2
        index += 1
    return ("[" + ", ".join(rows) + "]")[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "plain prose": _repeat("The request failed because the upstream took too long. "),
    "JSON body": _json_body,
    "log lines dense with secrets": _repeat(
        "GET https://u:S3cr3t@api.example.com/v1?api_key=abc123&page=2 "
        "Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl token=abc sk-proj-"
        "A1b2C3d4E5f6G7h8I9j0K1l2\n"
    ),
    "adversarial: 'basic ' run": _repeat("basic "),
    "adversarial: URL then ')' run": lambda size: "https://h/?token=x" + ")" * size,
    "adversarial: URL then '.' run": lambda size: "https://h/p" + "." * size,
    "adversarial: backslash run": lambda size: 'token="' + "\\" * size,
    "adversarial: separators": _repeat("a=:"),
    "adversarial: '-eyJ' run": _repeat("-eyJ"),
    "adversarial: 'sk-' run": _repeat("a sk-"),
    "adversarial: scheme chain": _repeat("a://"),
    "adversarial: open brackets": lambda size: "token=" + "[" * size,
    "adversarial: quotes": _repeat("token='"),
    "adversarial: long name": lambda size: "x" * size + "=1",
    "adversarial: PEM starts": _repeat("-----BEGIN PRIVATE KEY-----"),
    "adversarial: URL item list": lambda size: "https://h/a" + ",b" * (size // 2),
    "adversarial: URL list": _repeat("https://h,"),
    "adversarial: glued URLs": _repeat("http://x"),
    "adversarial: 'token ' run": _repeat("token "),
    "adversarial: 'token' lines": _repeat("token\n"),
    "adversarial: 'Bearer ' run": _repeat("Bearer "),
    "adversarial: 'api key ' run": _repeat("api key "),
    "adversarial: pairs": _repeat("token=a "),
    "adversarial: auth-params": lambda size: "Digest " + _repeat('nonce="n", ')(size),
    "adversarial: nested brackets": lambda size: "token=" + _repeat("[a]")(size),
    "adversarial: 'Cookie:' lines": _repeat("Cookie: a=1\n"),
    "adversarial: 'cookie=' lines": _repeat("cookie=x\n"),
    "adversarial: 'tokens=' run": _repeat("tokens=1 "),
    "adversarial: 'API key:' lines": _repeat("API key: x\n"),
    "adversarial: '#token=' run": lambda size: "https://a/" + _repeat("#token=a")(size),
    "adversarial: '&token=' run": lambda size: "https://a/?" + _repeat("&token=a")(size),
    "adversarial: '?a=' chain": lambda size: "https://a/" + _repeat("?a=")(size),
    "adversarial: nested userinfo": _repeat("https://u:p@"),
    "adversarial: 'next=' URLs": _repeat("https://h/?next="),
    "adversarial: 'token: ' chain": _repeat("token: "),
    "adversarial: 'secret:' lines": _repeat("secret:\n"),
    "adversarial: 'x api key: ' run": _repeat("x api key: "),
    "adversarial: 'x api\\tkey: ' run": _repeat("x api\\tkey: "),
    "adversarial: 'api\\tkey: x ' run": _repeat("api\\tkey: x "),
    "adversarial: unclosed '[' in URL": lambda size: "https://a/?" + _repeat("token=[#")(size),
    "adversarial: '&key=' run": lambda size: "https://a/?" + _repeat("&key=a")(size),
    "adversarial: '&tokens=' run, then a secret": lambda size: (
        "https://a/?" + _repeat("&tokens=1")(size) + "&token=x"
    ),
    "adversarial: JSON pairs, one name": _repeat('"token": "a", '),
    "adversarial: JSON pairs, two names": _repeat('"token": "a", "secret": "b", '),
    "adversarial: escaped line breaks": _repeat("token=a\\nBearer b1234567\\n"),
    "adversarial: empty 'Cookie:' lines": _repeat("Cookie:\n"),
    "adversarial: escaped triple quotes": lambda size: 'password = """' + _repeat('a\\"""')(size),
    "adversarial: header lines ending in a scheme word": _repeat("Authorization: Bearer\n"),
    "adversarial: unclosed triple quotes": _repeat('token = """S\n'),
    "adversarial: pair lines ending in a scheme word": _repeat("token: Bearer\r\n"),
    "adversarial: 'password: Basic' lines": _repeat("password: Basic\n"),
    "adversarial: scheme word pairs, credential below": _repeat("token: Bearer\nabcD123\n"),
    "adversarial: scheme word pairs, a name of words below": _repeat(
        "token: Bearer\nabc token: Bearer\napi "
    ),
    "adversarial: 'Bearer [' run": _repeat("Bearer ["),
    "adversarial: 'Bearer \\n' run": _repeat("Bearer \\n"),
    "adversarial: 'token: \\n' chain": _repeat("token: \\n"),
    "adversarial: 'password : ' chain": _repeat("password : "),
    "adversarial: 'auth = Digest ' run": _repeat("auth = Digest "),
    "adversarial: 'Bearer `' run": _repeat("Bearer `"),
    "adversarial: 'Bearer \\\"' run": _repeat('Bearer \\"'),
    'adversarial: \'token = x"""\' run': _repeat('token = x"""'),
    "adversarial: 'Cookie:\\n' lines": _repeat("Cookie:\\n"),
    "adversarial: 'Authorization: Bearer\\n' lines": _repeat("Authorization: Bearer\\n"),
}


def _time(text: str) -> float:
    """CPU seconds for one ``redact_text`` call, the best of a few runs.

    CPU time of this process, not wall time: on a machine shared with other work the figures
    stay comparable from run to run (``redact_text`` neither sleeps nor waits).
    """
    best = float("inf")
    runs = 5 if len(text) <= 100_000 else 2
    for _ in range(runs):
        start = time.process_time()
        redact_text(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    """Print the table and the budget verdicts (of the shapes whose names hold an argument)."""
    wanted = sys.argv[1:]
    shapes = {
        name: make
        for name, make in SHAPES.items()
        if not wanted or any(word in name for word in wanted)
    }
    width = max(map(len, shapes))
    print(f"redact_text, µs per KB (budget ≤ {BUDGET_US_PER_KB:.0f}; 1 MB ≤ {BUDGET_MB_MS:.0f} ms)")
    print(f"{'shape':<{width}}  {'10 KB':>7}  {'100 KB':>7}  {'1 MB':>7}  {'1 MB ms':>8}  growth")
    over = []
    for name, make in shapes.items():
        per_kb = []
        for size in SIZES:
            text = make(size)
            per_kb.append(_time(text) * 1e6 / (len(text) / 1000))
        mb_ms = per_kb[-1] * 1000 / 1000
        verdict = "PASS" if max(per_kb) <= BUDGET_US_PER_KB and mb_ms <= BUDGET_MB_MS else "OVER"
        if verdict == "OVER":
            over.append(name)
        cells = "  ".join(f"{value:7.1f}" for value in per_kb)
        print(f"{name:<{width}}  {cells}  {mb_ms:8.1f}  {per_kb[-1] / per_kb[0]:5.2f}×  {verdict}")
    print(f"\n{'all within budget' if not over else 'OVER: ' + ', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
