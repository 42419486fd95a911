"""A strict YAML reader that keeps where every value came from.

One pass over PyYAML's event stream (the C parser when available) builds plain
Python data and a map from each value's path to its line and column. It rejects
what a scenario file never needs and an attacker would use: anchors and aliases
(alias bombs), duplicate keys (PyYAML silently keeps the last), explicit tags,
deep nesting, more than one document. Scalars follow YAML 1.2's core schema:
only ``true``/``false`` are booleans and ``17:53`` stays the text ``17:53``
(YAML 1.1 would read it as the base-60 number 1073).

Most files are never asked where a value came from: a file that loads without errors or
warnings needs only its data. So :func:`parse` first builds the data alone from the event
stream, and finds the marks only when a :class:`Document` is first asked for them, by reading
the same text again. Anything out of the ordinary in that first pass (an anchor, a tag, an
alias, a duplicate or empty key, deep nesting, a second document, any YAML error) sends the
file straight to the located pass, which refuses it exactly as it always did.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from ballotdrill.scenarios.errors import Problem, ScenarioError
from ballotdrill.scenarios.rawfile import MAX_BYTES, decode, read_bytes
from ballotdrill.scenarios.yamlhints import hint

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 100

Path = tuple[str | int, ...]


class Mark(NamedTuple):
    """A 1-based line and column."""

    line: int
    col: int


class Document:
    """Parsed data, with the mark of each value and of each mapping key, by path.

    A document :func:`parse` made finds its marks on first use, by reading its text again
    (with the same data, so the same paths); one made with ``values`` and ``keys`` has them.
    """

    __slots__ = ("_keys", "_text", "_values", "data", "overrides", "source")

    def __init__(self, source: str, data: Any, values: dict[Path, Mark] | None = None,
                 keys: dict[Path, Mark] | None = None, overrides: dict[Path, str] | None = None, *,
                 text: str | None = None) -> None:
        if (values is None or keys is None) and text is None:
            raise ValueError("a Document needs its marks (values and keys) or the text to find them in")
        self.source = source
        self.data = data
        self._values = values
        self._keys = keys
        self._text = text
        self.overrides: dict[Path, str] = overrides or {}
        """Paths replaced by a ``--set``, with the flag that set them."""

    @property
    def values(self) -> dict[Path, Mark]:
        """The mark of each value, by path."""
        if self._values is None:
            self._find_marks()
        assert self._values is not None
        return self._values

    @property
    def keys(self) -> dict[Path, Mark]:
        """The mark of each mapping key, by the path of its value."""
        if self._keys is None:
            self._find_marks()
        assert self._keys is not None
        return self._keys

    def _find_marks(self) -> None:
        assert self._text is not None
        located = _parse_located(self._text, self.source)
        self._values, self._keys = located.values, located.keys

    def replace(self, *, data: Any, values: dict[Path, Mark], overrides: dict[Path, str]) -> Document:
        """This document with other data, marks and overrides (the same source)."""
        return Document(self.source, data, values, self.keys, overrides)

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the deepest known prefix of ``path`` (the key's mark if asked and known)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Mark(1, 1)

    def problem(self, path: Path, message: str, *, key: bool = False) -> Problem:
        for end in range(len(path), 0, -1):
            if path[:end] in self.overrides:
                return Problem(self.overrides[path[:end]], 0, 0, message)
        mark = self.locate(path, key=key)
        return Problem(self.source, mark.line, mark.col, message)


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$|^0x[0-9a-fA-F_]+$|^0o[0-7_]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
MAX_NUMBER_DIGITS = 100
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_TEXT_START = frozenset("0123456789+-.~")
"""The first characters of every plain scalar that is not text (numbers, ``~``, ``.inf``, ``.nan``)."""
_NOT_TEXT = frozenset(("", "null", "Null", "NULL", *_BOOL))
"""Plain scalars that are not text and start with a letter (or are empty)."""


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar under YAML 1.2's core schema."""
    if text[:1] not in _NOT_TEXT_START and text not in _NOT_TEXT and text[-1:] != "\n":  # words, at a glance
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if len(text) <= MAX_NUMBER_DIGITS:
        digits = text.replace("_", "")
        if _INT.match(text):
            try:
                return int(digits, 0) if text[:2] in ("0x", "0o") else int(digits)
            except ValueError:  # a prefix without digits (0x_): not a number, so text
                return text
        if _FLOAT.match(text) and any(c.isdigit() for c in text):
            return float(digits)
        if text.lower() in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[text.lower()]
    return text


def read_file(path: str, source: str | None = None) -> Document:
    """Read and parse a YAML file, refusing files over :data:`MAX_BYTES`."""
    label = source or path
    return parse(decode(read_bytes(path, label), label), label)


def parse(text: str, source: str) -> Document:
    """Parse one YAML document from ``text``; raise :class:`ScenarioError` on anything refused."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([Problem(source, 0, 0, f"the text is over {MAX_BYTES // 1024} KiB; split it or trim it")])
    surrogate = _SURROGATE.search(text)
    if surrogate:  # undecodable bytes smuggled in as surrogates
        raise _at(text, surrogate.start(), source,
                  f"character U+{ord(surrogate.group()):04X} is not valid text; save the file as UTF-8")
    data = _data_alone(text)
    if data is _EMPTY:  # out of the ordinary: the located pass refuses it, or reads it with its marks
        return _parse_located(text, source)
    return Document(source, data, text=text)


def _parse_located(text: str, source: str) -> Document:
    """:func:`parse`'s located pass: the data and every mark in one walk; every refusal and YAML error located."""
    builder = _Builder(source)
    loader = _Loader(text)
    try:
        while loader.check_event():
            builder.feed(loader.get_event())
    except yaml.MarkedYAMLError as exc:
        found = hint(text.splitlines(), exc)
        if found is not None:
            raise ScenarioError([Problem(source, *found)]) from None
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        opened = exc.context_mark
        if (exc.context and exc.context.startswith("while parsing a flow") and opened and exc.problem_mark
                and exc.problem_mark.line > opened.line):  # left open: the error shows on a later line
            bracket = "{" if "mapping" in exc.context else "["
            problem = (f"this '{bracket}' is never closed ({exc.problem} at line {exc.problem_mark.line + 1}); "
                       f"close it with '{'}' if bracket == '{' else ']'}'")
            mark = opened
        if "mapping values are not allowed" in problem:
            problem += "; put quotes around text that holds ': ' (e.g. text: \"Note: polls close\")"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            problem += "; a tab is in the indentation: indent with spaces"
        raise ScenarioError([Problem(source, line, col, problem)]) from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise _at(text, exc.position, source,
                  f"character U+{ord(char):04X} is not allowed in YAML ({exc.reason}); remove it") from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(source, 0, 0, f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    finally:
        loader.dispose()
    if builder.root is _EMPTY:
        raise ScenarioError([Problem(source, 1, 1, "the file is empty; a scenario file starts with 'version: 1'")])
    return Document(source, builder.root, builder.values, builder.keys)


def _at(text: str, index: int, source: str, message: str) -> ScenarioError:
    """An error at character ``index`` of ``text``."""
    before = text[:index]
    line = before.count("\n") + 1
    return ScenarioError([Problem(source, line, index - (before.rfind("\n") + 1) + 1, message)])


_EMPTY = object()


def _data_alone(text: str) -> Any:
    """The data of ``text`` when it is an ordinary scenario file, read without marks; :data:`_EMPTY` for anything
    else (no document, an anchor, a tag, an alias, a key that is empty, not text or repeated, nesting deeper than
    :data:`MAX_DEPTH`, a second document, any YAML error), which only the located pass may judge.

    The data is the located pass's, value for value: the same events, scalars resolved by :func:`resolve_plain`,
    keys made text the same way (tests/test_format_yamlread.py compares the two on every file in the repository
    and on generated ones).
    """
    scalar_event, mapping_event, sequence_event = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    quiet = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
    root: Any = _EMPTY
    stack: list[tuple[Any, str | None, bool]] = []
    container: Any = None  # the open mapping or list (None before the root)
    key: str | None = None  # the open mapping's key awaiting its value
    in_list = False
    documents = 0
    loader = _Loader(text)
    try:
        check, get = loader.check_event, loader.get_event
        while check():
            event = get()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    return _EMPTY
                value = event.value if event.style or event.implicit[0] is False else resolve_plain(event.value)
            elif kind is mapping_event or kind is sequence_event:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH - 1:
                    return _EMPTY
                value = {} if kind is mapping_event else []
            elif kind in ends:
                container, key, in_list = stack.pop()
                continue
            elif kind is yaml.DocumentStartEvent and documents == 0:
                documents = 1
                continue
            elif kind in quiet:
                continue
            else:  # an alias, a second document
                return _EMPTY
            if container is None:
                root = value
            elif in_list:
                container.append(value)
            elif key is None:  # this value is a key
                if value is None or isinstance(value, (dict, list)):
                    return _EMPTY
                key = str(value).lower() if isinstance(value, bool) else str(value)
                if key in container:
                    return _EMPTY
                continue
            else:
                container[key] = value
                key = None
            if kind is not scalar_event:
                stack.append((container, key, in_list))
                container, key, in_list = value, None, kind is sequence_event
    except yaml.YAMLError:
        return _EMPTY
    finally:
        loader.dispose()
    return root


class _Frame:
    __slots__ = ("container", "key_mark", "path", "pending_key")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        self.key_mark: Mark | None = None


class _Builder:
    """Turns parser events into data and marks, refusing what the format forbids."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.root: Any = _EMPTY
        self.stack: list[_Frame] = []
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        self.documents = 0

    def fail(self, event: Any, message: str) -> None:
        mark = event.start_mark
        raise ScenarioError([Problem(self.source, mark.line + 1, mark.column + 1, message)])

    def feed(self, event: Any) -> None:
        kind = type(event)  # the parser makes these exact classes; one lookup instead of a chain of isinstance
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                self._refuse_properties(event, scalar=True)
            value = event.value if event.style or event.implicit[0] is False else resolve_plain(event.value)
            self._add(event, value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                self._refuse_properties(event, scalar=False)
            self._open(event, {} if kind is yaml.MappingStartEvent else [])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.stack.pop()
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.fail(event, "a scenario file holds one YAML document; remove the second '---'")
        elif kind is yaml.AliasEvent:
            self.fail(event, f"aliases (*{event.anchor}) are not allowed; write the value out in full")

    def _refuse_properties(self, event: Any, *, scalar: bool) -> None:
        """Refuse an anchor or an explicit tag (a quoted scalar's non-specific ``!`` tag is no tag)."""
        if event.anchor is not None:
            self.fail(event, f"anchors (&{event.anchor}) are not allowed; write each value out in full")
        if event.tag is not None and event.tag != "!" and not (
            scalar and not event.implicit[0] and event.implicit[1]
        ):
            self.fail(event, f"tags ({event.tag}) are not allowed; remove the tag")

    def _open(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.fail(event, f"nesting is deeper than {MAX_DEPTH} levels; flatten the file")
        path = self._add(event, container)
        self.stack.append(_Frame(container, path))

    def _add(self, event: Any, value: Any) -> Path:
        mark = Mark(event.start_mark.line + 1, event.start_mark.column + 1)
        if not self.stack:
            self.root = value
            self.values[()] = mark
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.values[path] = mark
            return path
        if frame.pending_key is None:
            if isinstance(value, (dict, list)):
                self.fail(event, "a key must be plain text, not a list or mapping")
            if value is None:
                self.fail(event, "a key is empty; give it a name")
            key = str(value).lower() if isinstance(value, bool) else str(value)
            if key in frame.container:
                first = self.keys[(*frame.path, key)]
                self.fail(event, f"duplicate key '{key}' (first at line {first.line}); keep only one")
            frame.pending_key, frame.key_mark = key, mark
            return frame.path
        key = frame.pending_key
        path = (*frame.path, key)
        frame.container[key] = value
        self.values[path] = mark
        assert frame.key_mark is not None
        self.keys[path] = frame.key_mark
        frame.pending_key = frame.key_mark = None
        return path
