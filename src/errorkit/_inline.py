"""The inline parts of compiled constructors, loaded with the first one compiled.

``errorkit._build`` compiles each HTTP class's constructor on its first construction; this
module writes the source of what that constructor decides itself: the default message's
template and ``retryable`` from the class's declarations, and each template filled with an
f-string over the arguments (remembered by their values). Nothing here runs at import of
``errorkit``.
"""

from __future__ import annotations

from errorkit._build import _CONSTRUCTOR_ARGUMENTS, _CONVERSIONS, _KEPT, _SAFE_SPEC, _stored

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from errorkit.exceptions import APIError


def fill_source(
    template: str, read: Callable[[str], str], prefix: str, constants: dict[str, object]
) -> tuple[list[str], str, str] | None:
    """The source that fills ``template``: reads, their plainness test and an f-string.

    ``read(field)`` is the expression reading a field; the reads assign ``{prefix}v0``,
    ``{prefix}v1``, ...; the literal text goes into ``constants``. None when a field is
    not a plain name with a conversion and a simple format spec (``filled`` then reads it).
    """
    from _string import formatter_parser  # type: ignore[import-not-found]
    from keyword import iskeyword

    reads: list[str] = []
    pieces: list[str] = []
    try:
        for literal, field, spec, conversion in formatter_parser(template):
            if literal:
                name = f"{prefix}{len(constants)}"
                constants[name] = literal
                pieces.append(f"{{{name}}}")
            if field is None:
                continue
            if not (field.isascii() and field.isidentifier()) or iskeyword(field):
                return None  # source would read another name (``{class}``, NFKC forms)
            if not _SAFE_SPEC.issuperset(spec):
                return None
            if conversion is not None and conversion not in _CONVERSIONS:
                return None
            value = f"{prefix}v{len(reads)}"
            reads.append(f"{value} = {read(field)}")
            convert = _CONVERSIONS.get(conversion or "", "")
            pieces.append(f"{{{value}{convert}{':' + spec if spec else ''}}}")
    except ValueError:  # not a valid format string
        return None
    plain = " and ".join(f"type({prefix}v{i}) in _SIMPLE" for i in range(len(reads))) or "True"
    text = f"f'{''.join(pieces)}'"
    try:
        compile("\n".join([*reads, text]), "<template>", "exec")
    except SyntaxError:  # pragma: no cover - the checks above leave none
        return None
    return reads, plain, text


class Rules:
    """The inline source of a compiled constructor's default message and verdict.

    A class that keeps the generic ``_message_template``, ``_default_message`` and
    ``_retryable_by_rule`` has its template and verdict decided by its declarations
    (``_message_switch``, ``_status_messages``, ``_unretryable_when``) from its own fields.
    Its constructor decides them itself, reading the arguments it was given where they are
    what the attributes read, and fills each template it may choose with an f-string (the
    general ``_filled`` takes a value that is not a plain str, int or float, or that a
    format spec refuses). A class that overrides any of them, reads attributes its own
    way, or runs the constructor of its base (``super().__init__``) calls the methods.
    """

    def __init__(self, cls: type[APIError], known: set[str], namespace: dict[str, Any]) -> None:
        from errorkit.exceptions import APIError, Error

        self.cls = cls
        self.known = known
        self.namespace = namespace
        self.truths: dict[str, str] = {}  # field -> the local holding its truth
        self.prelude: list[str] = []  # the lines computing those truths
        plain_reads = cls.__getattribute__ is Exception.__getattribute__
        self.message_inline = (
            plain_reads
            and len(cls._message_switch or ()) < 3  # an ``otherwise`` template: the method
            and all(
                getattr(cls, name) is vars(Error)[name]
                for name in ("_message_template", "_default_message")
            )
        )
        self.verdict_inline = plain_reads and (
            cls._retryable_by_rule is vars(APIError)["_retryable_by_rule"]
        )

    def constant(self, value: object) -> str:
        """A name in the constructor's namespace holding ``value``."""
        name = f"_c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def read(self, field: str) -> str:
        """The expression reading ``self.<field>`` once the fields are stored."""
        cls, known = self.cls, self.known
        found = getattr(cls, field, None)
        if field in _KEPT:  # a property reading one item of ``_request``
            place = getattr(getattr(found, "fget", None), "_field", None)
            if type(found) is not property or place is None:
                return f"self.{field}"
            index, default = place
            local = _KEPT[index] if _KEPT[index] in known else "None"
            if default is None:
                return local
            return f"({self.constant(default)} if {local} is None else {local})"
        if (
            field not in known
            or field in _CONSTRUCTOR_ARGUMENTS
            or _stored(cls, field) != field
            or hasattr(type(found), "__set__")
            or hasattr(type(found), "__delete__")
        ):
            return f"self.{field}"
        return field  # stored as given in the instance's own attributes, and read from there

    def truth(self, field: str) -> str:
        """A local holding ``bool_of(self.<field>)``, computed once in ``prelude``."""
        local = self.truths.get(field)
        if local is None:
            local = self.truths[field] = f"_on{len(self.truths)}"
            value = f"{local}v"
            self.prelude += [
                f"    {value} = {self.read(field)}",
                f"    {local} = {value} is True or ({value} is not False and {value} is not None"
                f" and ({value} != '' if type({value}) is str else _bool_of({value})))",
            ]
        return local

    def lines(self, status_check: list[str]) -> list[str]:
        """The prelude, then ``status_check`` (an ``if`` calling ``_judged``) and the verdict."""
        verdict = self.verdict()
        return [*(["if cls is _owner:", *self.prelude] if self.prelude else []),
                *status_check, *verdict]  # fmt: skip

    def verdict(self) -> list[str]:
        """The ``elif`` lines after the status check: ``retryable`` by the class's rule."""
        cls = self.cls
        general = [
            "elif not cls._status_rule and self._retryable_by_rule() is not cls.retryable:",
            "    _judged(self, status_code, None, None)",
        ]
        flag = cls._unretryable_when
        if not self.verdict_inline or (flag is None and not cls._status_rule):
            return general
        if flag is None:  # the class status gives the class's value, for this class
            return ["elif cls is not _owner:", "    if" + general[0][4:], "    " + general[1]]
        try:  # the rule's verdict at the class status, when the field does not block it
            steady = bool(cls._status_verdict(cls._class_status))
        except Exception:
            steady = None
        return [
            "elif cls is not _owner:",
            "    if" + general[0][4:],
            "    " + general[1],
            f"elif {self.truth(flag)}:",
            "    if cls.retryable is not False: self.retryable = False",
            f"elif cls._status_rule is False and {self.constant(steady)} is not cls.retryable:",
            "    _judged(self, status_code, None, None)",
        ]

    def default_message(self) -> list[str]:
        """Lines setting ``message`` to the default message (masked afterwards)."""
        if not self.message_inline:
            return ["message = self._default_message()"]
        cls = self.cls
        lines = ["if cls is not _owner: _t = _general"]
        switch = cls._message_switch
        if switch is not None:
            lines.append(f"elif {self.truth(switch[0])}: _t = cls.{switch[1]}")
        if cls._status_messages:
            lines += [
                "else:",
                "    _s = self.status_code",
                "    _s = int.__int__(_s) if isinstance(_s, int) else None",
                *(
                    f"    {'if' if n == 0 else 'elif'} _s is not None and _s in"
                    f" {self.constant(statuses)}: _t = cls.{name}"
                    for n, (statuses, name) in enumerate(cls._status_messages)
                ),
                "    else: _t = cls.default_message",
            ]
        else:
            lines.append("else: _t = cls.default_message")
        names = ["default_message", *(switch[1:] if switch else ()),
                 *(name for _, name in cls._status_messages)]  # fmt: skip
        branch = "if"
        for template in dict.fromkeys(getattr(cls, name) for name in names):
            if type(template) is str:
                lines.append(f"{branch} _t is {self.constant(template)}:")
                lines += [f"    {line}" for line in self.fill(template)]
                branch = "elif"
        if branch == "if":
            return [*lines, "message = self._default_message()"]
        return [*lines, "else: message = self._default_message()"]

    def fill(self, template: str) -> list[str]:
        """Lines setting ``message`` to ``template`` filled, as ``filled`` fills it."""
        if "{" not in template:
            return [f"message = {self.constant(template)}"]
        prefix = f"_f{len(self.namespace)}_"
        parts = fill_source(template, self.read, prefix, self.namespace)
        if parts is None:
            return [f"message = _filled({self.constant(template)}, self)"]
        reads, plain, text = parts
        values = [line.partition(" = ")[0] for line in reads]
        key = ", ".join(f"type({value}), {value}" for value in values)
        nonzero = " and ".join(f"{value} != 0" for value in values)
        memo = self.constant({})
        return [
            "try:",
            *(f"    {line}" for line in reads),
            f"    if {plain}:",
            f"        _k = ({key},)",
            f"        message = {memo}.get(_k)",
            "        if message is None:",
            f"            message = {text}",
            f"            if {nonzero} and len(message) <= 512: _keep({memo}, _k, message)",
            "    else: message = None",
            "except Exception: message = None",
            f"if message is None: message = _filled({self.constant(template)}, self)",
        ]


def keep(memo: dict[Any, str], key: object, message: str) -> None:
    """Remember a filled template by its values (their types included), at most 256 of them.

    Only values that are not zero are remembered: ``-0.0 == 0.0``, yet they fill as ``-0``
    and ``0``. The message is the text before masking, so the memo holds for any names.
    """
    if len(memo) >= 256:
        memo.clear()
    memo[key] = message
