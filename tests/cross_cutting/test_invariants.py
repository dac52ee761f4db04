"""Invariants every errorkit class keeps, checked over every class found by walking the tree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

import errorkit
from errorkit import exceptions as ek
from errorkit import http_mapping, safety
from tests.samples import SAMPLES, SECRET, all_error_classes, sample

CLASSES = all_error_classes()
CLASS_IDS = [cls.__name__ for cls in CLASSES]


def test_every_class_has_a_sample() -> None:
    """Every class in the tree has a sample, so the parametrized invariants cover it."""
    assert set(CLASSES) == set(SAMPLES)
    assert len(CLASSES) == 43


@pytest.mark.parametrize("cls", CLASSES, ids=CLASS_IDS)
class TestEveryClass:
    """Behaviour the base class guarantees for every subclass."""

    def test_sample_has_its_class(self, cls: type[ek.Error]) -> None:
        """The sample factory builds an instance of exactly that class."""
        assert type(sample(cls)) is cls

    def test_str_is_message_and_args(self, cls: type[ek.Error]) -> None:
        """``str(e) == e.message``, never empty, and ``e.args == (e.message,)``."""
        error = sample(cls)
        assert str(error) == error.message
        assert error.message
        assert error.args == (error.message,)

    def test_repr_names_class_message_and_code(self, cls: type[ek.Error]) -> None:
        """``repr`` is ``Class(message=..., code=...)``."""
        error = sample(cls)
        assert repr(error) == f"{cls.__name__}(message={error.message!r}, code={error.code!r})"

    def test_to_dict_has_exactly_its_keys(self, cls: type[ek.Error]) -> None:
        """``to_dict()`` has the keys code, message, details (plus attempts on region probes)."""
        keys = list(sample(cls).to_dict())
        expected = ["code", "message", "details"]
        if issubclass(cls, ek.RegionProbeError):
            expected.append("attempts")
        assert keys == expected

    def test_to_dict_is_json(self, cls: type[ek.Error]) -> None:
        """``json.dumps(to_dict(), allow_nan=False)`` works and round-trips unchanged."""
        payload = sample(cls).to_dict()
        assert json.loads(json.dumps(payload, allow_nan=False)) == payload

    def test_to_dict_is_a_new_dict(self, cls: type[ek.Error]) -> None:
        """Mutating a ``to_dict()`` result leaves the error unchanged."""
        error = sample(cls)
        payload = error.to_dict()
        payload["details"]["injected"] = True
        payload["code"] = "CHANGED"
        assert error.to_dict() != payload
        assert "injected" not in error.details

    def test_no_secret_in_serialized_forms(self, cls: type[ek.Error]) -> None:
        """A secret planted in the context never shows in to_dict, str or repr."""
        error = sample(cls)
        assert SECRET not in json.dumps(error.to_dict())
        assert SECRET not in str(error)
        assert SECRET not in repr(error)

    def test_retryable_is_a_bool(self, cls: type[ek.Error]) -> None:
        """``retryable`` is a bool on every instance."""
        assert isinstance(sample(cls).retryable, bool)

    def test_code_is_upper_snake(self, cls: type[ek.Error]) -> None:
        """Every class code is UPPER_SNAKE."""
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", cls.code)

    def test_exported_from_package(self, cls: type[ek.Error]) -> None:
        """Every class is importable from ``errorkit`` and listed in its ``__all__``."""
        assert getattr(errorkit, cls.__name__) is cls
        assert cls.__name__ in errorkit.__all__
        assert cls.__name__ in ek.__all__


def test_codes_are_unique() -> None:
    """No two classes share a code."""
    codes = [cls.code for cls in CLASSES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("module", [errorkit, ek, http_mapping, safety], ids=lambda m: m.__name__)
def test_all_is_sorted_and_resolves(module: Any) -> None:
    """Every module's ``__all__`` is sorted and every listed name exists."""
    assert module.__all__ == sorted(module.__all__)
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name


def test_package_reexports_every_public_name() -> None:
    """``errorkit.__all__`` holds every public name of its modules plus ``__version__``."""
    expected = {
        *ek.__all__,
        *http_mapping.__all__,
        "redact_text",
        "redact_url",
        "add_sensitive_keys",
    }
    expected.add("__version__")
    assert set(errorkit.__all__) == expected


# --- the package ------------------------------------------------------------------------


def _fresh_output(code: str) -> str:
    """What ``python -c code`` prints in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout


def test_import_loads_no_third_party_module() -> None:
    """``import errorkit`` imports only the standard library and errorkit itself."""
    code = (
        "import sys; before = set(sys.modules); import errorkit; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = _fresh_output(code)
    top_level = {name.partition(".")[0] for name in out.split()}
    foreign = top_level - set(sys.stdlib_module_names) - {"errorkit", "__main__"}
    assert not foreign


def test_redaction_loads_with_the_first_message_masked() -> None:
    """Redaction loads with the first error, not at import; errors built in threads are masked."""
    code = (
        "import sys, threading, errorkit; "
        "loaded = [m for m in ('errorkit.redaction', 'errorkit.safety') if m in sys.modules]; "
        "texts = []; "
        "build = [lambda: errorkit.Error('token=abc1'), "
        "lambda: errorkit.RateLimitError('api_key=abc2', retry_after=2), "
        "lambda: errorkit.ToolExecutionError(ValueError('password=abc3'))] * 4; "
        "threads = [threading.Thread(target=lambda b=b: texts.append(str(b()))) for b in build]; "
        "[t.start() for t in threads]; [t.join(10) for t in threads]; "
        "print(loaded, len(texts), sorted(set(texts)), errorkit.redact_text('pwd=abc4'), "
        "errorkit.safety.MAX_DEPTH, errorkit.problem.__name__)"
    )
    out = _fresh_output(code).strip()
    assert "abc" not in out
    assert out.startswith("[] 12 [")
    assert out.endswith(" pwd=*** 64 errorkit.problem")


def test_mapping_helpers_load_on_first_use() -> None:
    """``http_mapping`` loads when one of its names is first read; ``dir`` lists them all."""
    code = (
        "import sys, errorkit; loaded = 'errorkit.http_mapping' in sys.modules; "
        "from errorkit import error_for_status; "
        "names = [getattr(errorkit, name) for name in errorkit.__all__]; "
        "print(loaded, errorkit.http_mapping.error_for_status is error_for_status, len(names), "
        "set(errorkit.__all__) <= set(dir(errorkit)))"
    )
    out = _fresh_output(code).split()
    assert out == ["False", "True", str(len(errorkit.__all__)), "True"]


def test_a_name_loaded_on_first_use_is_kept() -> None:
    """A name served on first use is stored in the package: later reads skip ``__getattr__``."""
    code = (
        "import errorkit; "
        "first = [errorkit.error_for_status, errorkit.redact_text, errorkit.HTTPContext]; "
        "names = ('error_for_status', 'redact_text', 'HTTPContext'); "
        "kept = [vars(errorkit).get(name) for name in names]; "
        "print(all(a is b for a, b in zip(first, kept, strict=True)))"
    )
    assert _fresh_output(code).strip() == "True"
