"""Reading a YAML config file into plain values plus the position of every node.

This module owns turning bytes on disk into plain Python data (dicts, lists, str, int, ...)
and a map from each node's JSON path to its 1-based (line, column), so every later stage can
point a Problem at the exact place in the file. It refuses what the config format has no use
for and what would be unsafe to read: files over 16 MiB, text that is not UTF-8, YAML anchors
and aliases (billion-laughs), explicit tags (``!!float``), merge keys, duplicate keys, keys
that are not strings, strings holding a lone UTF-16 surrogate, and values YAML cannot
construct (a 5,000-digit number, ``2024-13-45``), each as a Problem rather than a traceback.

Plain scalars are resolved the YAML 1.2 way for numbers: only ``[-+]?[0-9]+`` without a
leading zero is an integer, so ``0123`` (octal 83 in YAML 1.1), ``1:30`` (base 60: 90) and
``0x1F`` stay text instead of silently becoming another id. YAML 1.1's booleans
(``yes``/``no``/``on``/``off``) and dates are still recognised, so the schema can say "put
the value in quotes" instead of quietly taking ``no`` as text.

A valid file is read with libyaml when pyyaml has it (``loader_libyaml.py``: the same
answers, several times faster); anything that file reader gives up on, and everything when
libyaml is missing, is read by the pure-Python reader below, the one that words every
refusal.

It must not judge meaning: which keys exist or what their values should look like is the
schema's job (``schema.py``) and the semantic checks' (``checks.py``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hcsync import loader_libyaml
from hcsync.collector import burst
from hcsync.errors import ConfigError, Problem

# make bench's 20,000 collections with a French translation each is 3.3 MiB: anything far
# bigger is a mistake (or an attack), refused before it is parsed.
MAX_BYTES = 16 * 1024 * 1024
_MERGE_TAG = "tag:yaml.org,2002:merge"
_YAML_TAG = "tag:yaml.org,2002:"
# Escapes like "\ud800" build strings no UTF-8 file or HTTP body can carry.
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Whether to try libyaml first. Tests turn it off to hold both readers to the same answers.
LIBYAML = loader_libyaml.available()

# Keys and list indexes down to a node of the YAML document, e.g. ("collections", 0, "name");
# not a tree path of collection names (the ``Path`` of model and the engine).
KeyPart = str | int
KeyPath = tuple[KeyPart, ...]
Position = tuple[int, int]  # (line, column), both 1-based


def kind_of(value: object) -> str:
    """Name the kind of a value YAML produced, the way the YAML file's author thinks of it."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "true/false (a boolean)"
    kinds: tuple[tuple[type, str], ...] = (
        (str, "a string"),
        (int, "an integer"),
        (float, "a number"),
        (list, "a list"),
        (dict, "a mapping"),
        (datetime.datetime, "a date and time"),
        (datetime.date, "a date"),
    )
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def tree_path(path: KeyPath) -> str:
    """Show a JSON path the way a user reads it: ``collections[0].collections[2].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Loaded:
    """A parsed YAML document: its plain data and where each node came from.

    ``positions`` maps the path of every node to where its value starts (for a mapping or a
    list item: the first character of the mapping). ``key_positions`` maps the path of every
    mapping entry to where its *key* starts, which is where a user looks for ``name:``.
    ``problems`` holds the recoverable problems found while reading (duplicate or non-string
    keys); it is only non-empty when the caller asked for ``keep_going``.
    """

    source: str
    data: Any
    positions: Mapping[KeyPath, Position]
    key_positions: Mapping[KeyPath, Position]
    problems: tuple[Problem, ...] = field(default=())
    # sha256 hex of the text as UTF-8: for a file, exactly its bytes (UTF-8 decodes and
    # re-encodes losslessly), so a saved plan can tell whether the file changed since.
    digest: str = ""

    def where(self, path: KeyPath) -> Position:
        """Where to point a problem about ``path``.

        A mapping entry is shown at its key, anything else (a list item, the document) at its
        value; a path with no position of its own (a missing key) falls back to its nearest
        ancestor that has one.
        """
        for end in range(len(path), -1, -1):
            sub = path[:end]
            if sub in self.key_positions:
                return self.key_positions[sub]
            if sub in self.positions:
                return self.positions[sub]
        return (1, 1)

    def start(self, path: KeyPath) -> Position:
        """Where the value at ``path`` starts (a mapping's first key), else ``where(path)``."""
        return self.positions.get(path) or self.where(path)


class _Refused(Exception):
    """Raised inside the YAML loader to stop at a problem that makes going on pointless."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _pos(mark: Any) -> Position:  # a yaml Mark (pure-Python or libyaml's) or None
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refusal(event: yaml.Event) -> str | None:
    """Why the format refuses this event (an alias, an anchor or a tag), or None."""
    if isinstance(event, yaml.AliasEvent):
        return f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full"
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        return f"YAML anchors (&{anchor}) are not allowed; write each value out in full"
    tag = getattr(event, "tag", None)
    if tag is not None:
        # !!float "x", !!timestamp "nope", !!binary...: the format needs only text,
        # numbers and lists, all of which YAML recognises without a tag.
        return (
            f"YAML tags ({_shown_tag(tag)}) are not allowed; write the value plainly,"
            " in quotes if it is text"
        )
    return None


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


def _unreadable(node: Node, exc: Exception) -> str:
    """What to tell a user when YAML recognised a value's kind but could not build it."""
    if not isinstance(node, ScalarNode):
        return f"YAML cannot read this value ({exc})"
    text: str = node.value
    shown = text if len(text) <= 40 else f"{text[:37]}..."
    if node.tag == f"{_YAML_TAG}int":
        # Python refuses to convert integers of more than a few thousand digits.
        return f"{shown!r} has {len(text)} digits, too many for a number; put it in quotes"
    if node.tag == f"{_YAML_TAG}timestamp":
        return f"YAML reads {shown!r} as a date, but it is not one ({exc}); put it in quotes"
    return f"YAML cannot read {shown!r} as {_shown_tag(node.tag)} ({exc}); put it in quotes"


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    code = ord(found.group()) if found else 0xD800
    return (
        f"the text contains U+{code:04X}, a lone UTF-16 surrogate (an escape like"
        f" \\u{code:04x}), which is not a character; write the character itself instead"
    )


class _PositionLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors/aliases and records problems instead of guessing.

    pyyaml silently keeps the last of two equal keys; ``construct_mapping`` keeps the first
    and reports the second, and remembers which (key, key node, value node) entries it kept
    so positions can be collected by walking the node tree afterwards.
    """

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text)
        self.source = source
        # (mapping node id, key or None, problem): the tree path is only known after the
        # whole document is built, so it is filled in by load_yaml_text.
        self.problems: list[tuple[int, str | None, Problem]] = []
        self.entries: dict[int, list[tuple[str, Node, Node]]] = {}

    def _problem(self, mark: Any, message: str) -> Problem:
        line, column = _pos(mark)
        return Problem(self.source, line, column, "", message)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # Refuse before pyyaml resolves an alias: an alias is what makes a small file expand
        # into an enormous structure, and the config format never needs repetition.
        event = self.peek_event()  # type: ignore[no-untyped-call]
        refusal = _refusal(event)
        if refusal is not None:
            raise _Refused(self._problem(event.start_mark, refusal))
        return super().compose_node(parent, index)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # pyyaml's constructors raise plain Python errors, not YAMLError, for values they
        # recognise but cannot build (too many digits, a date that does not exist).
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise _Refused(self._problem(node.start_mark, _unreadable(node, exc))) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            raise _Refused(self._problem(node.start_mark, _surrogate_message(value)))
        return value

    def construct_yaml_int(self, node: Node) -> int:
        # The resolver below only lets plain decimal digits through, so there is no octal,
        # hex, base-60 or underscore form for pyyaml's own constructor to reinterpret.
        return int(self.construct_scalar(node))  # type: ignore[arg-type]

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found {type(node).__name__}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        first_line: dict[str, int] = {}
        kept: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.problems.append(
                    (
                        id(node),
                        None,
                        self._problem(
                            key_node.start_mark,
                            "YAML merge keys (<<) are not allowed; write each key out in full",
                        ),
                    )
                )
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                if isinstance(key_node, ScalarNode):
                    message = (
                        f"key {key_node.value!r} is not text: YAML reads it as {kind_of(key)}; "
                        "put it in quotes"
                    )
                else:
                    message = f"a key must be plain text, not {kind_of(key)}"
                self.problems.append((id(node), None, self._problem(key_node.start_mark, message)))
                continue
            if key in first_line:
                self.problems.append(
                    (
                        id(node),
                        key,
                        self._problem(
                            key_node.start_mark,
                            f"duplicate key {key!r} (first at line {first_line[key]}); "
                            "remove one of them",
                        ),
                    )
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
            kept.append((key, key_node, value_node))
        self.entries[id(node)] = kept
        return mapping


# Resolve plain scalars with a fresh table (the class attribute shadows SafeLoader's, so
# add_implicit_resolver below fills this one instead of copying YAML 1.1's).
_PositionLoader.yaml_implicit_resolvers = {}
_PositionLoader.add_constructor(f"{_YAML_TAG}int", _PositionLoader.construct_yaml_int)
_DIGITS = list("-+0123456789")
for _tag, _regexp, _first in (
    (
        "bool",
        r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        list("yYnNtTfFoO"),
    ),
    # YAML 1.2 core integers, minus leading zeros: 0123 stays the text "0123".
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", _DIGITS),
    (
        "float",
        # A dot is required, as in YAML 1.1: 1e3 stays text, as it always has in hcsync.
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        [*_DIGITS, "."],
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        list("0123456789"),
    ),
    ("merge", r"^(?:<<)$", ["<"]),  # recognised only to be refused with a clear message
):
    _PositionLoader.add_implicit_resolver(f"{_YAML_TAG}{_tag}", re.compile(_regexp), _first)


# How both readers resolve plain scalars: first character -> (tag, regexp), in order.
RESOLVERS: loader_libyaml.Resolvers = _PositionLoader.yaml_implicit_resolvers


def _walk(
    loader: _PositionLoader, root: Node
) -> tuple[dict[KeyPath, Position], dict[KeyPath, Position], dict[int, KeyPath]]:
    """Positions of every value and key, and the path of every mapping node (by node id)."""
    positions: dict[KeyPath, Position] = {}
    key_positions: dict[KeyPath, Position] = {}
    mapping_paths: dict[int, KeyPath] = {}
    # Iterative rather than recursive, so walking never adds to the recursion depth.
    stack: list[tuple[Node, KeyPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        positions[path] = _pos(node.start_mark)
        if isinstance(node, MappingNode):
            mapping_paths[id(node)] = path
            for key, key_node, value_node in loader.entries.get(id(node), []):
                child: KeyPath = (*path, key)
                key_positions[child] = _pos(key_node.start_mark)
                stack.append((value_node, child))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))
    return positions, key_positions, mapping_paths


def _refuse(source: str, line: int, column: int, message: str) -> NoReturn:
    raise ConfigError([Problem(source, line, column, "", message)])


def _syntax_problem(source: str, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        line, column = _pos(exc.problem_mark or exc.context_mark)
        if exc.problem == "but found another document":
            return Problem(
                source,
                line,
                column,
                "",
                "the file holds more than one YAML document (a second '---'); keep only one",
            )
        what = exc.problem or exc.context or "cannot be read"
        if exc.context and exc.context_mark is not None and exc.problem:
            # pyyaml's two halves read as one sentence: "while scanning X (line 3), found Y".
            what = f"{exc.context} (line {exc.context_mark.line + 1}), {exc.problem}"
        return Problem(source, line, column, "", f"YAML syntax error: {what}")
    if isinstance(exc, yaml.reader.ReaderError):
        # pyyaml hands over the offending character as its code point, or as a 1-char str.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return Problem(
            source,
            line,
            column,
            "",
            f"YAML files cannot contain the control character U+{code:04X}; remove it",
        )
    return Problem(source, 1, 1, "", f"YAML syntax error: {exc}")


def load_yaml_text(text: str, source: str, *, keep_going: bool = False) -> Loaded:
    """Parse YAML ``text`` (read from ``source``, used only in messages) into a Loaded.

    Raises ConfigError for anything that stops reading (syntax error, anchors or aliases, an
    empty document, a top level that is not a mapping). Duplicate and non-string keys are
    recoverable: by default they raise too; with ``keep_going`` they are returned in
    ``Loaded.problems`` so the caller can report them together with later problems.
    """
    # Reading a large file builds hundreds of thousands of objects and keeps them all: hold
    # the cyclic collector back meanwhile, or it rescans them over and over.
    with burst():
        fast = loader_libyaml.read(text, RESOLVERS) if LIBYAML else None
        if fast is not None:
            return Loaded(source, fast.data, fast.positions, fast.key_positions, (), _digest(text))
        return _load_pure(text, source, keep_going=keep_going)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_pure(text: str, source: str, *, keep_going: bool) -> Loaded:
    """``load_yaml_text`` with the pure-Python reader: the reference for every answer."""
    try:
        # Constructing the loader already scans the text for unprintable characters.
        loader = _PositionLoader(text, source)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        raise ConfigError([exc.problem]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([_syntax_problem(source, text, exc)]) from None
    except RecursionError:
        # pyyaml composes recursively; thousands of nested brackets exhaust the stack.
        _refuse(source, 1, 1, "the file nests too deeply to be a collections tree")
    if root is None or data is None:
        _refuse(source, 1, 1, "the file is empty; it needs at least a 'collections:' list")
    if not isinstance(data, dict):
        line, column = _pos(root.start_mark)
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        _refuse(
            source,
            line,
            column,
            f"the top level must be a mapping with keys like 'collections:', not {kind}",
        )
    positions, key_positions, mapping_paths = _walk(loader, root)
    problems = tuple(
        problem._replace(
            path=tree_path(mapping_paths[node_id] + ((key,) if key is not None else ()))
        )
        for node_id, key, problem in loader.problems
        # A mapping with no path is inside a key (``? {a: 1, a: 2}``): that key is already
        # refused for not being text, which says all there is to say about it.
        if node_id in mapping_paths
    )
    if problems and not keep_going:
        raise ConfigError(list(problems))
    return Loaded(source, data, positions, key_positions, problems, _digest(text))


def load_yaml(path: str, *, keep_going: bool = False) -> Loaded:
    """Read the YAML file at ``path``; see ``load_yaml_text`` for what is refused and how.

    The size limit is checked on the bytes read, before any parsing, so a huge file costs
    no more than reading 16 MiB of it.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        _refuse(path, 1, 1, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        _refuse(path, 1, 1, f"the file is over {limit} MiB; hcsync refuses config files that large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        (line, column), message = not_utf8(raw, exc)
        _refuse(path, line, column, message)
    return load_yaml_text(text, path, keep_going=keep_going)


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[Position, str]:
    """Where a file's bytes stop being UTF-8, and what to tell its author."""
    line = raw.count(b"\n", 0, exc.start) + 1
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    # Count characters, not bytes, before the bad byte: that is what an editor shows.
    column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    return (line, column), f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
