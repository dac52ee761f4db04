"""Huge payloads and threads: errorkit never fails its caller's failure.

The odd-but-harmless constructor input each class tolerates is pinned in
``tests/exceptions/test_tolerant_input.py``.
"""

from __future__ import annotations

import datetime
import json
import threading
import tracemalloc
from typing import Any

from errorkit import exceptions as ek

# --- huge payloads ----------------------------------------------------------------------


def test_50_mb_body_serializes_bounded_without_copying() -> None:
    """A 50 MB body gives a bounded ``to_dict()`` with the marker; the attribute keeps it whole."""
    body = "x" * (50 * 1024 * 1024)
    error = ek.ServerError(response_body=body)
    tracemalloc.start()
    try:
        payload = error.to_dict()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    shown = payload["details"]["response_body"]
    assert len(shown) == 8192
    assert shown.endswith("chars]")
    assert "...[truncated " in shown
    assert error.response_body is body
    assert peak < 1024 * 1024  # far below one copy of the body
    assert len(json.dumps(payload)) < 20_000


def test_huge_body_in_a_dict_is_bounded() -> None:
    """A huge string nested in a dict body is cut too."""
    error = ek.ServerError(response_body={"log": "y" * 5_000_000, "rows": list(range(10))})
    details = error.to_dict()["details"]["response_body"]
    assert len(details["log"]) == 8192
    assert details["rows"] == list(range(10))


# --- concurrency ---------------------------------------------------------------------------


def test_to_dict_from_eight_threads_is_identical() -> None:
    """``to_dict()`` on one shared error from 8 threads gives identical results."""
    shared = {"rows": [{"id": i, "token": f"t{i}", "tags": {"a", "b"}} for i in range(200)]}
    error = ek.ServerError(
        response_body=shared,
        request_url="https://u:p@api.example.com/x?api_key=k&page=1",
        request_params={"when": datetime.datetime(2026, 11, 21, 9, 30)},
    )
    expected = error.to_dict()
    results: list[Any] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        mine = [error.to_dict() for _ in range(20)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 160
    assert all(result == expected for result in results)
