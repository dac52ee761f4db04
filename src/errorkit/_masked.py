"""What the constructors need of the redaction engine before it loads.

``import errorkit`` does not load ``redaction`` or ``safety``: the first message masked does.
Constructors read ``MASKED`` (text -> its masked form) on every call; the engine fills it and
empties it, with every memo in ``NAME_MEMOS``, when sensitive names are added.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MASKED: dict[str, str] = {}
NAME_MEMOS: list[dict[Any, Any] | set[str]] = [MASKED]
"""Memos whose answers depend on the sensitive names; each is emptied when names are added.

A module that memoises a verdict of the engine (``safety``'s key memo) appends its memo here.
"""


class _Safety:
    """``errorkit.safety``, imported when a first name is read from it.

    Each name read is then kept as an attribute of this object, so later reads cost what
    reading a module attribute costs (an ``import`` statement in a function costs microseconds).
    """

    def __getattr__(self, name: str) -> Any:
        from errorkit import safety as module

        value = getattr(module, name)
        object.__setattr__(self, name, value)
        return value


if TYPE_CHECKING:
    from errorkit import safety as safety
else:
    safety = _Safety()


def safe_text(text: str) -> str:
    """``safety.safe_text(text)``: masked and cut, loading the engine on the first call."""
    return safety.safe_text(text)
