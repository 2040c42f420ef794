"""Untrusted text made safe to print: every name, id and message that came from Intercom, a
plan file or a pull request goes through here before it reaches a terminal or a log.

Owns the escaping rules: control and format characters (newline as ``\\n``, others as
``\\uXXXX``, lone surrogates too), and a bidirectional isolate (U+2068 ... U+2069) around
right-to-left text, added after the escaping, so it cannot pull the quotes or the text beside
it out of place. Imports nothing of hcsync: the commands' error paths use it before anything
else is loaded.
"""

from __future__ import annotations

import unicodedata

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Control, format, line/paragraph separators and lone surrogates: never shown raw.
_ESCAPED_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")
# First strong isolate and pop directional isolate: the text between takes its direction from
# its own first strong letter and, to what surrounds it, is one neutral character.
FSI, PDI = "\u2068", "\u2069"
_RTL = ("R", "AL")  # strong right-to-left: Hebrew, Arabic and kin


def show_path(path: tuple[str, ...]) -> str:
    """A tree path for printing, control characters escaped (names are not quoted in a path).

    Everything hcsync prints names collections with this one (``model.show_path`` is the
    unescaped value, for comparing).
    """
    return " / ".join(isolate(clean(name), name) for name in path) if path else "(top level)"


def quote(value: str) -> str:
    """A string in double quotes, with quotes, backslashes and control characters escaped.

    Right-to-left text is isolated inside the quotes, so the quotes stay where they belong.
    """
    return '"' + isolate(clean(value.replace("\\", "\\\\").replace('"', '\\"')), value) + '"'


def isolate(shown: str, original: str) -> str:
    """``shown`` (already cleaned) in a bidi isolate when ``original`` has right-to-left letters.

    Applied after ``clean``, which would escape the isolate characters themselves. A name can
    hold no isolate of its own to unbalance these: validate refuses them in names, and
    ``clean`` has escaped any that came from Intercom.
    """
    if any(unicodedata.bidirectional(ch) in _RTL for ch in original):
        return f"{FSI}{shown}{PDI}"
    return shown


def clean(value: str) -> str:
    """Escape every control or format character (newline as ``\\n``, others as ``\\uXXXX``).

    Lone surrogates too: they cannot be encoded, so printing one raw would crash the write.
    """
    return "".join(_escape(ch) for ch in value)


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if unicodedata.category(ch) in _ESCAPED_CATEGORIES:
        return f"\\u{ord(ch):04x}"
    return ch
