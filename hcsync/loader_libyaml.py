"""The loader's fast path: libyaml's event stream read straight into plain values and positions.

This module owns reading, with libyaml's C parser, the files the loader has nothing to say
about: one document, a mapping at the top, text, whole numbers and nulls only, every key a
distinct string, no anchor, alias or tag, not nested deeper than any collections tree. That
is every valid config file. It answers None for anything else (or when pyyaml was built
without libyaml), and the loader then reads the text again with its pure-Python reader, the
one reference for every refusal and every message. So this path never explains anything: it
either gives exactly what the pure-Python reader gives, or gives up.

libyaml and pyyaml's Python parser are the same design, but not the same code. Where they
are known to disagree on a document both accept, the text is left to the pure-Python
reader: libyaml takes tabs as separators and ``|#`` as a block scalar header, skips a byte
order mark at the start of any line, and places an empty value elsewhere at the very end of
a file without a final newline and after a ``:`` inside brackets (``{a: }``).
``tests/test_loader_paths.py`` holds the two readers to the same answers.

It must not judge meaning (the schema's and the checks' job) nor word a problem (the
loader's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import yaml

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]
# The loader's implicit resolvers: first character of a plain scalar -> (tag, regexp) pairs.
Resolvers = Mapping[str | None, Sequence[tuple[str, re.Pattern[str]]]]

_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
# Deeper than any collections tree (about ten levels), far shallower than what exhausts the
# pure-Python reader's recursion, which the loader reports as "nests too deeply".
MAX_DEPTH = 64
# A block scalar header with a comment right after it (``|#``): libyaml takes it, pyyaml not.
_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")


class Read(NamedTuple):
    """What the fast path read: the loader's data, positions and key positions."""

    data: dict[str, Any]
    positions: dict[KeyPath, Position]
    key_positions: dict[KeyPath, Position]


class _GiveUp(Exception):
    """Something only the pure-Python reader may judge."""


def available() -> bool:
    """Whether pyyaml was built with libyaml."""
    return bool(yaml.__with_libyaml__)


def _scalar(event: Any, resolvers: Resolvers) -> str | int | None:
    """The value of a plain or quoted scalar, resolved as the loader does; text, int or None."""
    value: str = event.value
    if event.implicit[0]:  # plain: the implicit resolvers decide
        for tag, regexp in resolvers.get(value[:1], ()):
            if regexp.match(value):
                if tag == _NULL:
                    return None
                if tag == _INT:
                    return int(value)  # ValueError past Python's digit limit: give up
                raise _GiveUp  # a boolean, float, date or merge key: never valid here
    return value


def _disagree(text: str) -> bool:
    """Whether libyaml might read ``text`` otherwise than pyyaml (see the module docstring)."""
    return (
        not text.endswith("\n")
        or "\t" in text
        or text.find("\ufeff", 1) >= 0
        or ("#" in text and _HEADER_COMMENT.search(text) is not None)
    )


def read(text: str, resolvers: Resolvers) -> Read | None:
    """``text`` read with libyaml, or None when the pure-Python reader must judge it."""
    if not available() or None in resolvers or _disagree(text):
        # (None in resolvers: a wildcard resolver, which this path does not look up.)
        return None
    try:
        return _read(text, resolvers)
    except (_GiveUp, yaml.YAMLError, ValueError):
        # ValueError: a lone surrogate cannot be encoded for libyaml; an int too long.
        return None


def _read(text: str, resolvers: Resolvers) -> Read | None:
    from yaml._yaml import CParser  # only there when pyyaml was built with libyaml

    # Bound once: this loop runs for every event of the file.
    scalar, mapping_start, sequence_start = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    positions: dict[KeyPath, Position] = {}
    key_positions: dict[KeyPath, Position] = {}
    root: object = None
    documents = 0
    # One frame per open mapping or list:
    # [the container, its path, the key awaiting a value, whether it is in brackets].
    stack: list[list[Any]] = []
    parser = CParser(text)
    next_event = parser.get_event
    try:
        while True:
            event: Any = next_event()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    raise _GiveUp
                if not event.value and event.implicit[0] and stack and stack[-1][3]:
                    raise _GiveUp  # an empty value inside brackets: placed differently
                node: object = _scalar(event, resolvers)
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _GiveUp
                node = {} if kind is mapping_start else []
            elif kind is mapping_end or kind is sequence_end:
                stack.pop()
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _GiveUp  # the loader says "more than one document"
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            else:  # an alias
                raise _GiveUp
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            here: KeyPath
            if not stack:
                root = node
                here = ()
            else:
                frame = stack[-1]
                container, path, key, _ = frame
                if type(container) is list:
                    here = (*path, len(container))
                    container.append(node)
                elif key is None:  # the node is a key
                    if type(node) is not str or node in container:
                        raise _GiveUp  # not text, or a duplicate: the loader explains
                    frame[2] = node
                    entry: KeyPath = (*path, node)
                    key_positions[entry] = where
                    continue
                else:
                    here = (*path, key)
                    container[key] = node
                    frame[2] = None
            positions[here] = where
            if type(node) is dict or type(node) is list:
                stack.append([node, here, None, event.flow_style])
    finally:
        parser.dispose()
    if type(root) is not dict:
        return None  # empty, or not a mapping: the loader explains
    return Read(root, positions, key_positions)
