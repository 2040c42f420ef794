"""libyaml's reader and the pure-Python one give the same answer for any text.

The loader reads a file with libyaml (``loader_libyaml``) and falls back to the pure-Python
reader for anything libyaml's path gives up on. Both must produce the same values (of the
same types, in the same order), the same positions and the same problems, to the character.
Generated documents in every YAML style pyyaml writes, and token soup full of YAML's
indicators, are read both ways and compared; and the fast path must really be the one that
reads ordinary files, or the comparison would prove nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.trees import to_yaml, tree
from hcsync import loader, loader_libyaml
from hcsync.errors import ConfigError
from hcsync.loader import RESOLVERS, load_yaml_text

pytestmark = pytest.mark.skipif(
    not loader_libyaml.available(), reason="pyyaml is built without libyaml here"
)

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _typed(value: object) -> object:
    """``value`` with every type spelled out: True, 1 and 1.0 must not compare equal."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _outcome(text: str, *, libyaml: bool) -> tuple[Any, ...]:
    """Everything a caller can observe of reading ``text`` with one reader."""
    saved = loader.LIBYAML
    loader.LIBYAML = libyaml
    try:
        got = load_yaml_text(text, "f.yaml", keep_going=True)
    except ConfigError as err:
        return ("refused", [str(p) for p in err.problems])
    finally:
        loader.LIBYAML = saved
    return (
        "read",
        _typed(got.data),
        sorted(got.positions.items(), key=repr),
        sorted(got.key_positions.items(), key=repr),
        [str(p) for p in got.problems],
        got.digest,
    )


def assert_same(text: str) -> None:
    assert _outcome(text, libyaml=True) == _outcome(text, libyaml=False), text


# -- generated documents ------------------------------------------------------------------

# Characters and words that make YAML choose another style, quote, escape or fold.
PIECES = [
    *"ab xyz:#-?[]{},&*!|>'\"%@`\\.é😀\u00a0\u2028\x85=~01",
    "\n",
    "\t",
    "\r\n",
    "yes",
    "null",
    "12",
    "0123",
    "1.5",
    "<<",
    "2024-01-01",
    "Billing & invoices",
    "Q&A",
    "*draft",
    "Internal / *",
    "- x",
    "#x",
    "x #y",
    "|x",
    "!x",
    "&x",
]
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
scalars = st.one_of(
    texts,
    st.text(max_size=10),
    st.integers(-(10**6), 10**6),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(texts, scalars), inner, max_size=4)
    ),
    max_leaves=25,
)
LINES = ["# comment", "", "   ", "#", "  # x: y", "...", "---"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    data = {"collections": draw(values), **draw(st.dictionaries(texts, values, max_size=3))}
    text = yaml.safe_dump(
        data,
        sort_keys=False,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        default_style=draw(st.sampled_from([None, None, '"', "'", "|", ">"])),
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([20, 80, 1000])),
        indent=draw(st.sampled_from([2, 3, 4])),
        explicit_start=draw(st.booleans()),
        line_break=draw(st.sampled_from(["\n", "\r\n", "\r"])),
    )
    if draw(st.booleans()):  # empty values: pyyaml writes null, people leave them out
        text = text.replace("null", "").replace("''", "")
    if draw(st.booleans()):  # a comment, blank line or document marker somewhere
        lines = text.split("\n")
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(LINES)))
        text = "\n".join(lines)
    return text


@SETTINGS
@given(documents())
def test_generated_documents_are_read_the_same_by_both_readers(text: str) -> None:
    assert_same(text)


TOKENS = [
    *" \n-:?,[]{}#|>'\"%\\ab10.é\r\x85\u2028\u00a0\ufeff\t\x00\x07",
    "  ",
    "\n  ",
    "\n    ",
    "- ",
    "key: ",
    "name: ",
    "x: y\n",
    "collections:\n",
    '"q"',
    "'s'",
    "\\n",
    "\\u00e9",
    "\\ud800",
    "\\U0001F600",
    "😀",
    "yes",
    "~",
    "null",
    "12",
    "-3",
    "0x1",
    "1.5",
    "2024-01-01",
    "<<",
    "---",
    "...",
    "|-",
    ">+",
    "|2",
    "&a ",
    "*a",
    "!!str ",
    "! ",
    "%YAML 1.1\n",
    "#c\n",
]


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join), st.booleans())
def test_token_soup_is_read_the_same_by_both_readers(text: str, newline: bool) -> None:
    assert_same(text + "\n" if newline else text)


# -- the fast path reads ordinary files ---------------------------------------------------

ORDINARY = {
    "example": (ROOT / "examples" / "collections.yaml").read_text(encoding="utf-8"),
    **{
        f"good/{path.stem}": path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests" / "fixtures" / "good").glob("*.yaml"))
    },
    "generated tree": to_yaml(tree(300)),
    "generated tree, translated": to_yaml(tree(300), translated=True),
    "every style": (
        "# yaml-language-server: $schema=x\n"
        "help_center: 12345\r\n"
        "default_locale: 'pt-BR'\n"
        "protect: [Legal, '6871119', 'Internal / *', 42]\n"
        "ignore:\n  - Drafts*\n  - >-\n    Partners / *\n"
        "collections:\n"
        '- name: "Billing & invoices"\n'
        "  description: |\n    Line one\n      indented\n\n    Line three\n"
        "  id: 5001\n"
        "  previously: [Payments, Q&A]\n"
        "  translated_content: {fr: {name: Facturation, description: null}, de: {name: ~}}\n"
        "  collections:\n"
        "  - {name: 'it''s', description: null}\n"
        "  -   name:   Spaced   # a comment\n"
        '      description: "caf\\u00e9 \\U0001F600 \\x41"\n'
        "  - name: ''\n"
        "    description:\n"
        "    id: '007'\n"
        "  - ? name\n    : Explicit key\n"
    ),
}


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_files_take_the_fast_path_and_read_the_same(name: str) -> None:
    text = ORDINARY[name]
    # A tab anywhere (even where both readers take it, in a block scalar) is left to the
    # pure-Python reader: telling those places from the others is not worth it.
    assert (loader_libyaml.read(text, RESOLVERS) is not None) == ("\t" not in text)
    assert_same(text)


# -- what the fast path leaves to the pure-Python reader ----------------------------------

GIVES_UP = {
    "an anchor": "a: &x 1\n",
    "an anchor on a mapping": "a: &x {b: 1}\n",
    "an alias": "a: &x 1\nb: *x\n",
    "an undefined alias": "a: *x\n",
    "a tag": "a: !!str 1\n",
    "a local tag": "a: !local x\n",
    "the non-specific tag": "a: ! x\n",
    "a tag on a mapping": "!!map {a: 1}\n",
    "a boolean": "a: yes\n",
    "a float": "a: 1.5\n",
    "a date": "a: 2024-01-01\n",
    "a date that does not exist": "a: 2024-13-45\n",
    "a merge key": "<<: {a: 1}\n",
    "a merge value": "a: <<\n",
    "a duplicate key": "a: 1\na: 2\n",
    "a list as a key": "[a]: 1\n",
    "a number as a key": "1: a\n",
    "a null key": "~: a\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a list at the top": "- a\n",
    "a scalar at the top": "just text\n",
    "nothing": "",
    "only a comment": "# nothing\n",
    "no final newline": "a: 1",
    "an empty value at the very end": "a:",
    "an empty value in braces": "a: {b: }\n",
    "an empty value in brackets": "a: [b: ]\n",
    "a tab separator": "a:\t1\n",
    "a tab before a comment": "a: b\t# c\n",
    "a comment right after a block header": "a: |#\n  x\n",
    "a byte order mark inside": "a: 1\n\ufeffb: 2\n",
    "a byte order mark starting a line in brackets": "x: [a,\n\ufeffb]\n",  # b or \ufeffb
    "a byte order mark alone on the last line": "a: 1\n\ufeff\n",
    "too many digits": f"id: {'9' * 5000}\n",
    "a surrogate escape": 'a: "\\ud800"\n',
    "a long surrogate escape": 'a: "\\U0000DC00"\n',
    "a lone surrogate": "a: \ud800\n",
    "a control character": "a: \x07\n",
    "a syntax error": "a: [1\n",
    "deep nesting": "a: " + "[" * 70 + "]" * 70 + "\n",
}


@pytest.mark.parametrize("name", sorted(GIVES_UP))
def test_the_fast_path_gives_up_and_both_readers_agree(name: str) -> None:
    text = GIVES_UP[name]
    assert loader_libyaml.read(text, RESOLVERS) is None
    assert_same(text)


def test_a_byte_order_mark_at_the_start_is_read_the_same() -> None:
    text = "\ufeffcollections:\n  - name: Café\n"
    assert loader_libyaml.read(text, RESOLVERS) is not None
    assert_same(text)


def test_a_big_tree_is_read_the_same_position_for_position() -> None:
    text = to_yaml(tree(2000), translated=True)
    fast = loader_libyaml.read(text, RESOLVERS)
    assert fast is not None
    assert len(fast.positions) > 6000
    assert_same(text)
