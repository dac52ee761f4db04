"""Ray, local: errors raised in a Ray task reach ``ray.get`` whole (``make test-ray``).

Ray is a large install and takes seconds to start, so this module runs only under
``make test-ray``, which installs Ray and sets ``ERRORKIT_RAY=1``. ``ray.init`` starts a
one-CPU Ray instance on this machine, bound to 127.0.0.1, once for the module.

Ray raises a ``RayTaskError`` that is also an instance of the task's error class (a
class Ray derives from both), so ``except errorkit.ParseError`` catches it; the error
the task raised, unpickled whole, is its ``cause``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.engine_checks import check_whole
from tests.samples import CASES, build, raise_case

if TYPE_CHECKING:
    from collections.abc import Iterator

if not os.environ.get("ERRORKIT_RAY"):
    pytest.skip("Ray runs under `make test-ray`", allow_module_level=True)

ray: Any = pytest.importorskip("ray")

TIMEOUT = 60.0
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def caught() -> Iterator[dict[str, Any]]:
    """Start Ray once, run every case as a task, and hand back what ``ray.get`` raised."""
    ray.init(
        num_cpus=1,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
        runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
    )
    try:
        remote = ray.remote(raise_case)
        refs = {name: remote.remote(name) for name in CASES}
        found: dict[str, Any] = {}
        for name, ref in refs.items():
            try:
                ray.get(ref, timeout=TIMEOUT)
            except ray.exceptions.RayTaskError as exc:
                found[name] = exc
        yield found
    finally:
        ray.shutdown()


@pytest.mark.parametrize("case", CASES)
def test_error_reaches_ray_get_whole(caught: dict[str, Any], case: str) -> None:
    """``except`` on the worker's class catches it, and its ``cause`` is the error, whole."""
    error = caught[case]
    cause = error.cause
    assert isinstance(error, type(build(case)))
    check_whole(case, cause, carried_by_tblib=False)
