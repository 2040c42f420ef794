"""Property-based: whatever bytes `hcsync validate` is handed, it answers cleanly.

Random and hostile YAML (duplicate keys, deep nesting, huge strings, wrong types, aliases that
expand exponentially, broken encodings) must end in either "valid" with exit 0 or a clear
``error: file:line...`` with exit 1: never a traceback (exit 3), never a network call. Every
test runs with both YAML readers (libyaml's and the pure-Python one).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml_readers import READERS, use

from hcsync.cli import main
from hcsync.loader import MAX_BYTES
from hcsync.locales import LOCALES

# In CI the examples are derived from the test's name, so a run is repeatable; on a
# developer's machine they are random, to keep finding new inputs.
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    # The one function-scoped fixture only picks the YAML reader: the same for every example.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(autouse=True, params=READERS)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    use(request.param, monkeypatch)
    return str(request.param)


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"validate made a network call: {request.method} {request.url}")


NO_NETWORK = httpx.MockTransport(_no_network)


def validate_bytes(data: bytes) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collections.yaml"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        code = main(["validate", str(path)], env={}, stdout=out, stderr=err, transport=NO_NETWORK)
        return code, out.getvalue(), err.getvalue()


def assert_clean(data: bytes) -> None:
    code, out, err = validate_bytes(data)
    assert "Traceback" not in out + err, err
    assert code in (0, 1), (code, out, err)
    if code == 0:
        assert "valid" in out
    else:
        assert err.startswith("error: "), err
        # Every problem points into the file (the path printed is the temp file's).
        assert "collections.yaml" in err.splitlines()[0], err


# -- strategies ---------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "yes", "no", "0123", "~", "null", "Billing", "en", "fr"]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    ["name", "description", "id", "previously", "collections", "translated_content", "x"]
)


@st.composite
def collection(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """A collection entry that is often nearly right, and sometimes wrong in one place."""
    entry: dict[str, Any] = {"name": draw(st.one_of(st.text(min_size=1, max_size=30), anything))}
    if draw(st.booleans()):
        entry["description"] = draw(st.one_of(st.text(max_size=50), anything))
    if draw(st.booleans()):
        locales = draw(
            st.lists(st.one_of(st.sampled_from(LOCALES), st.text(max_size=5)), max_size=3)
        )
        entry["translated_content"] = {
            loc: draw(st.one_of(st.fixed_dictionaries({"name": st.text(max_size=20)}), anything))
            for loc in locales
        }
    if draw(st.integers(0, 5)) == 0:
        entry["id"] = draw(st.one_of(st.text(max_size=8), st.integers(), anything))
    if draw(st.integers(0, 5)) == 0:
        entry["previously"] = draw(st.one_of(st.lists(st.text(max_size=10), max_size=3), anything))
    if draw(st.integers(0, 6)) == 0:
        entry[draw(keys)] = draw(anything)
    if depth < 4 and draw(st.booleans()):
        entry["collections"] = draw(st.lists(collection(depth + 1), max_size=3))
    return entry


@st.composite
def config_documents(draw: st.DrawFn) -> bytes:
    doc: dict[str, Any] = {"collections": draw(st.lists(collection(), max_size=4))}
    if draw(st.booleans()):
        doc["default_locale"] = draw(st.one_of(st.sampled_from(LOCALES), anything))
    if draw(st.booleans()):
        doc["help_center"] = draw(st.one_of(st.text(max_size=10), st.integers(), anything))
    if draw(st.integers(0, 4)) == 0:
        doc[draw(st.text(max_size=10))] = draw(anything)
    for key in ("protect", "ignore"):
        if draw(st.integers(0, 4)) == 0:
            doc[key] = draw(st.one_of(st.lists(st.text(max_size=12), max_size=3), anything))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8")


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A document with a slice duplicated, deleted or replaced: duplicate keys, bad indents."""
    data = draw(config_documents())
    lines = data.split(b"\n")
    if len(lines) > 2:
        i = draw(st.integers(0, len(lines) - 2))
        how = draw(st.sampled_from(["dup", "drop", "junk", "dedent"]))
        if how == "dup":
            lines.insert(i, lines[i])
        elif how == "drop":
            del lines[i]
        elif how == "junk":
            lines[i] = draw(st.binary(max_size=20))
        else:
            lines[i] = lines[i].lstrip()
    return b"\n".join(lines)


# -- properties ---------------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_are_answered_cleanly(data: bytes) -> None:
    assert_clean(data)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_is_answered_cleanly(text: str) -> None:
    assert_clean(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(config_documents())
def test_config_shaped_documents_are_answered_cleanly(data: bytes) -> None:
    assert_clean(data)


@SETTINGS
@given(mangled())
def test_mangled_documents_are_answered_cleanly(data: bytes) -> None:
    assert_clean(data)


@SETTINGS
@given(
    st.sampled_from(["name", "description", "collections", "default_locale"]),
    st.integers(2, 5),
)
def test_duplicate_keys_are_refused(key: str, times: int) -> None:
    body = "\n".join(f"    {key}: x{i}" for i in range(times))
    text = f"collections:\n  - name: A\n{body}\n"
    code, _, err = validate_bytes(text.encode())
    assert code == 1
    assert "duplicate key" in err


# -- hostile cases, one each --------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
collections: *i
"""


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("aliases that expand exponentially", BILLION_LAUGHS.encode(), "anchors"),
        ("deep flow nesting", b"collections: " + b"[" * 50_000 + b"]" * 50_000, "error"),
        (
            "deep block nesting",
            "".join(f"{' ' * i}k{i}:\n" for i in range(3000)).encode(),
            "error",
        ),
        (
            "deeply nested collections",
            (
                "collections:\n"
                + "".join(
                    f"{'  ' * (2 * i + 1)}- name: c{i}\n{'  ' * (2 * i + 2)}collections:\n"
                    for i in range(200)
                )
                + "  " * 402
                + "[]\n"
            ).encode(),
            "nests too deeply",
        ),
        ("huge string", b"collections:\n  - name: " + b"a" * 900_000 + b"\n", "255"),
        ("oversized file", b"collections: []\n# " + b"x" * (MAX_BYTES + 10), "MiB"),
        ("not UTF-8", b"collections:\n  - name: caf\xe9\n", "UTF-8"),
        ("a NUL byte", b"collections:\n  - name: a\x00b\n", "error"),
        (
            "wrong types everywhere",
            b"help_center: [1]\ndefault_locale: 7\ncollections: {}\n",
            "error",
        ),
        # pyyaml's constructors raise ValueError & co., not YAMLError, for these.
        ("a float tag on text", b'collections:\n  - name: !!float "x"\n', "YAML tags"),
        ("a timestamp tag on text", b'collections:\n  - name: !!timestamp "nope"\n', "YAML tags"),
        ("an int tag on text", b'collections:\n  - name: A\n    id: !!int "abc"\n', "YAML tags"),
        (
            "an id past Python's integer digit limit",
            b"collections:\n  - name: A\n    id: " + b"9" * 5000 + b"\n",
            "5000 digits",
        ),
        ("a date that does not exist", b"collections:\n  - name: 2024-13-45\n", "not one"),
        # Valid YAML, but no file or request body can carry it: plan would crash later.
        ("a lone surrogate", b'collections:\n  - name: "A\\ud800"\n', "surrogate"),
        (
            "a lone surrogate in a translation",
            b'collections:\n  - name: A\n    translated_content: {fr: {name: "\\udc00"}}\n',
            "surrogate",
        ),
    ],
)
def test_hostile_input_gets_a_clear_error(name: str, data: bytes, expected: str) -> None:
    code, out, err = validate_bytes(data)
    assert code == 1, (name, out, err)
    assert "Traceback" not in err
    assert expected in err, (name, err[:500])
