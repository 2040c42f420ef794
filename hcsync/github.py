"""GitHub Actions specifics: error annotations for config problems, and the job step summary.

Owns the workflow-command format (``::error file=...,line=...::message`` and its escaping) and
what goes into the file named by ``GITHUB_STEP_SUMMARY`` (the command writes it). Everything
here is a pure function of the values handed in, except ``annotate_config_errors``, which
writes only to the stream it is given. The environment is always passed in as a mapping,
never read from ``os.environ``, so tests need no patching.

Must not: decide exit codes, render plans, or swallow an error (annotations come in addition
to the normal message, never instead of it).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from hcsync.errors import ConfigError, Problem
from hcsync.escape import clean

TITLE = "hcsync"

# GitHub's rules for workflow commands (toolkit/packages/core/src/command.ts): the message
# escapes %, CR and LF; property values also escape ':' and ',', which separate properties.
_DATA_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}


def in_github_actions(env: Mapping[str, str]) -> bool:
    """True inside a GitHub Actions job, which sets ``GITHUB_ACTIONS=true``."""
    return env.get("GITHUB_ACTIONS") == "true"


def escape_data(value: str) -> str:
    """A workflow command's message, escaped so a newline cannot end the command early."""
    return "".join(_DATA_ESCAPES.get(ch, ch) for ch in value)


def escape_property(value: str) -> str:
    """A workflow command's property value (file, title...), escaped like GitHub's toolkit."""
    return "".join(_PROPERTY_ESCAPES.get(ch, ch) for ch in value)


def error_annotation(problem: Problem, *, workspace: str | None = None) -> str:
    """One ``::error`` workflow command (no trailing newline) pointing at the problem's line.

    GitHub attaches an annotation to a file of the pull request only when ``file`` is relative
    to the repository root, so a path inside ``workspace`` (``GITHUB_WORKSPACE``) is made
    relative to it.
    """
    props = [("file", _relative(problem.file, workspace))]
    if problem.line > 0:  # a problem with the whole document may have no useful line
        props.append(("line", str(problem.line)))
        if problem.column > 0:
            props.append(("col", str(problem.column)))
    props.append(("title", TITLE))
    # Keys and names from the file are shown escaped (``x\n::error::...``), as in the plain
    # message; the file property keeps the real name (escaped by GitHub's rules) so the
    # annotation lands on the file.
    path, text = clean(problem.path), clean(problem.message)
    message = f"{path}: {text}" if path else text
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::error {joined}::{escape_data(message)}"


def error_annotations(err: ConfigError, env: Mapping[str, str]) -> str:
    """Every problem of ``err`` as workflow commands, one per line; "" outside GitHub Actions."""
    if not in_github_actions(env):
        return ""
    workspace = env.get("GITHUB_WORKSPACE") or None
    return "".join(error_annotation(p, workspace=workspace) + "\n" for p in err.problems)


@contextmanager
def annotate_config_errors(env: Mapping[str, str], out: TextIO) -> Iterator[None]:
    """Inside GitHub Actions, also write a ConfigError's problems to ``out`` as annotations.

    The error is re-raised untouched, so the CLI still prints it and exits 1::

        with annotate_config_errors(io.env, io.out):
            config = load_config(ns.file)
    """
    try:
        yield
    except ConfigError as err:
        out.write(error_annotations(err, env))
        raise


def step_summary_path(env: Mapping[str, str]) -> str | None:
    """The job summary file GitHub Actions names in ``GITHUB_STEP_SUMMARY``, if any."""
    return env.get("GITHUB_STEP_SUMMARY") or None


def step_summary(markdown: str) -> str:
    """What to append to the job summary for ``markdown`` (appended: earlier steps' stay)."""
    # A blank line first, so it never runs on into what an earlier step wrote.
    return "\n" + markdown


def _relative(file: str, workspace: str | None) -> str:
    if not workspace:
        return file
    root = workspace.rstrip("/") + "/"
    # posixpath: GitHub-hosted Linux and macOS runners; a Windows path is left as given.
    normal = posixpath.normpath(file)
    return normal[len(root) :] if normal.startswith(root) else file
