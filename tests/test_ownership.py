"""Ownership: ``ignore:`` and ``protect:`` hold end to end, and what a plan records for saving.

Live state is seeded in the emulator, the file is written to tmp_path, the real CLI plans and
applies; the tests assert on the emulator's collections afterwards and on the next plan
being empty. Pattern matching itself is checked on its own first, since every rule rests on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from support import RunCli, write

from hcsync.config import load_config, load_config_text
from hcsync.diff import build_plan
from hcsync.emulator import Emulator
from hcsync.errors import ConfigError
from hcsync.patterns import Patterns, problem

# ------------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("entry", "cid", "path", "expected"),
    [
        ("12", "12", ("Anything",), True),
        ("12", "120", ("Anything",), False),
        ("12", None, ("12",), False),  # an all-digit entry is an id, never a name
        ("Legal", "1", ("Legal",), True),
        ("Legal", "1", ("Policies", "Legal"), True),  # a name matches at any level
        ("Legal", "1", ("legal",), False),  # case-sensitive, like Intercom's names
        ("Legal", "1", ("Legal", "Terms"), False),  # a child is not named Legal
        ("Draft*", "1", ("Help", "Drafts 2024"), True),
        ("Internal / *", "1", ("Internal", "Runbooks"), True),
        ("Internal / *", "1", ("Internal",), False),  # a path matches its own depth only
        ("Internal / *", "1", ("Internal", "Runbooks", "Deep"), False),
        ("Internal/Runbooks", "1", ("Internal", "Runbooks"), True),  # spaces are optional
        ("*/Drafts", "1", ("Help", "Drafts"), True),
        ("Help / Drafts", "1", ("Other", "Drafts"), False),
    ],
)
def test_pattern_kinds_match_as_documented(
    entry: str, cid: str | None, path: tuple[str, ...], expected: bool
) -> None:
    assert (Patterns.parse([entry]).matches(cid, path) == entry) is expected


def test_first_matching_entry_is_named() -> None:
    patterns = Patterns.parse(["Nope", "Leg*", "Legal"])
    assert patterns.matches("1", ("Legal",)) == "Leg*"
    assert Patterns.parse([]).matches("1", ("Legal",)) is None


@pytest.mark.parametrize(
    ("entry", "usable"),
    [("", False), ("  ", False), ("A //B", False), ("/A", False), ("A / B", True), ("7", True)],
)
def test_malformed_entries_are_refused(entry: str, usable: bool) -> None:
    assert (problem(entry) is None) is usable


# ---------------------------------------------------------------------- end to end helpers


def paths(emu: Emulator) -> set[str]:
    raw = {c["id"]: c for c in emu.collections()}

    def path(c: dict[str, object]) -> str:
        names = [str(c["name"])]
        while c["parent_id"] is not None:
            c = raw[str(c["parent_id"])]
            names.append(str(c["name"]))
        return " / ".join(reversed(names))

    return {path(c) for c in raw.values()}


def seed(emu: Emulator) -> dict[str, str]:
    """A live tree: Billing, Internal (with Runbooks / Oncall), Policies / Legal, Help / Drafts."""
    ids: dict[str, str] = {}

    def add(path: str, parent: str | None = None) -> None:
        ids[path] = str(emu.add_collection(path.split(" / ")[-1], parent_id=parent)["id"])

    add("Billing")
    add("Internal")
    add("Internal / Runbooks", ids["Internal"])
    add("Internal / Runbooks / Oncall", ids["Internal / Runbooks"])
    add("Policies")
    add("Policies / Legal", ids["Policies"])
    add("Policies / Old", ids["Policies"])
    add("Help")
    add("Help / Drafts", ids["Help"])
    add("Help / Published", ids["Help"])
    return ids


def applied(hcsync: RunCli, config: str, *flags: str) -> str:
    result = hcsync("apply", config, *flags)
    assert result.code == 0, result.out + result.err
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err  # converged: nothing left to do
    return result.out


# ---------------------------------------------------------------------------------- ignore


@pytest.mark.parametrize(
    "entry",
    ["Internal", "Intern*", "ID:Internal"],  # ID: is replaced by Internal's live id below
)
def test_ignored_subtree_is_never_planned_nor_deleted(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path, entry: str
) -> None:
    ids = seed(emulator)
    entry = ids["Internal"] if entry.startswith("ID:") else entry
    config = write(
        tmp_path,
        f"""\
        help_center: acme
        ignore: ["{entry}"]
        collections:
          - name: Billing
          - name: Policies
            collections:
              - name: Legal
              - name: Old
          - name: Help
            collections:
              - name: Drafts
              - name: Published
        """,
    )
    plan = hcsync("plan", config, "--detailed-exitcode")
    assert plan.code == 0, plan.out + plan.err  # nothing to do: Internal is not ours
    assert "Internal" not in plan.out.replace(f"ignore: {entry}", "")
    assert f"3 live collections ignored (ignore: {entry})" in plan.out
    applied(hcsync, config)
    assert {"Internal", "Internal / Runbooks", "Internal / Runbooks / Oncall"} <= paths(emulator)


def test_path_glob_ignores_children_only(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    config = write(
        tmp_path,
        """\
        help_center: acme
        ignore: ["Internal / *", "Help / Draft?"]
        collections:
          - name: Billing
          - name: Internal
            description: Ours; its children are not
          - name: Policies
            collections:
              - name: Legal
              - name: Old
          - name: Help
            collections:
              - name: Published
        """,
    )
    out = applied(hcsync, config)
    assert "Drafts" not in out and "Runbooks" not in out
    assert {"Internal / Runbooks / Oncall", "Help / Drafts"} <= paths(emulator)
    (internal,) = (c for c in emulator.collections() if c["name"] == "Internal")
    assert internal["description"] == "Ours; its children are not"


def test_ignored_child_keeps_its_unlisted_parent(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    ids = seed(emulator)
    config = write(
        tmp_path,
        """\
        help_center: acme
        ignore: ["Help / Drafts"]
        collections:
          - name: Billing
          - name: Internal
            collections:
              - name: Runbooks
                collections:
                  - name: Oncall
          - name: Policies
            collections:
              - name: Legal
              - name: Old
        """,
    )
    plan = hcsync("plan", config)
    assert plan.code == 0, plan.err
    assert (
        f"'Help / Drafts' (id {ids['Help / Drafts']}) is ignored (ignore: Help / Drafts) but its"
        f" parent is not in the file: 'Help' (id {ids['Help']}) left in place"
    ) in plan.out
    # Help stays for Drafts' sake; its other, unlisted child does not.
    applied(hcsync, config)
    live = paths(emulator)
    assert {"Help", "Help / Drafts"} <= live
    assert "Help / Published" not in live


def test_ignored_collections_are_not_counted(emulator: Emulator) -> None:
    ids = seed(emulator)
    config = load_config_text("ignore: [Internal]\ncollections: [{name: Billing}]\n", "inline.yaml")
    plan = build_plan(
        config, {"collection": emulator.collections()}, help_center="acme", help_center_id="1"
    )
    assert plan.live_count == 7
    assert ("collection", ids["Internal / Runbooks"]) not in dict(plan.live_versions)
    deleted = {c.id for c in plan.of_kind("delete")}
    assert deleted.isdisjoint({ids["Internal"], ids["Internal / Runbooks"]})


def test_id_ignore_clashing_with_a_managed_entry_is_refused(emulator: Emulator) -> None:
    ids = seed(emulator)
    config = load_config_text(
        f"ignore: ['{ids['Billing']}']\ncollections:\n  - name: Billing\n", "inline.yaml"
    )
    with pytest.raises(ConfigError) as caught:
        build_plan(
            config, {"collection": emulator.collections()}, help_center="acme", help_center_id="1"
        )
    assert str(caught.value.problems[0]) == (
        f"inline.yaml:3:5: collections[0]: 'Billing' has the same path as live {ids['Billing']},"
        f" which is ignored (ignore: {ids['Billing']}); manage it here or ignore it, not both"
    )


def test_validation_refuses_managed_and_ignored_through_the_cli(hcsync: RunCli) -> None:
    result = hcsync("validate", "tests/fixtures/bad/ignored-and-managed.yaml")
    assert result.code == 1
    assert (
        "tests/fixtures/bad/ignored-and-managed.yaml:2:5: collections[0].name: 'Internal' is"
        " both listed in ignore: (line 10: 'Internal') and managed here; remove one"
    ) in result.err


# --------------------------------------------------------------------------------- protect

UNLISTED_LEGAL = """\
    help_center: acme
    protect: [{entry}]
    collections:
      - name: Billing
      - name: Internal
        collections:
          - name: Runbooks
            collections:
              - name: Oncall
      - name: Help
        collections:
          - name: Drafts
          - name: Published
"""


@pytest.mark.parametrize("entry", ["Legal", "Policies / Legal", "ID"])
def test_protected_collection_and_its_parent_are_not_deleted(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path, entry: str
) -> None:
    ids = seed(emulator)
    entry = ids["Policies / Legal"] if entry == "ID" else entry
    config = write(tmp_path, UNLISTED_LEGAL.format(entry=f'"{entry}"'))
    plan = hcsync("plan", config)
    assert (
        f"'Policies / Legal' (id {ids['Policies / Legal']}) is protected (protect: {entry}) and"
        f" not in the file: left in place, and so is 'Policies' (id {ids['Policies']}) above it;"
        " add it to the file or remove it from protect:"
    ) in plan.out
    applied(hcsync, config)
    live = paths(emulator)
    assert {"Policies", "Policies / Legal"} <= live
    assert "Policies / Old" not in live  # an unprotected sibling still goes


def test_without_protect_the_same_file_deletes_them(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    config = write(tmp_path, UNLISTED_LEGAL.replace("    protect: [{entry}]\n", ""))
    applied(hcsync, config)
    assert not any(p.startswith("Policies") for p in paths(emulator))


def test_protected_collection_in_the_file_is_still_updated(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    ids = seed(emulator)
    config = write(
        tmp_path,
        """\
        help_center: acme
        protect: [Legal]
        collections:
          - name: Policies
            collections:
              - name: Legal
                description: Terms and privacy
        """,
    )
    plan = hcsync("plan", config)
    assert "is protected" not in plan.out
    applied(hcsync, config, "--force")  # it deletes most of the seeded tree, on purpose
    legal = emulator.collection(ids["Policies / Legal"])
    assert legal is not None and legal["description"] == "Terms and privacy"
    assert paths(emulator) == {"Policies", "Policies / Legal"}


# -------------------------------------------------------------------- what a plan records


def test_plan_records_live_versions_and_source_digest(emulator: Emulator) -> None:
    ids = seed(emulator)
    emulator.edit_collection(ids["Billing"], description="edited in the UI")
    config = load_config("tests/fixtures/good/minimal.yaml")
    raw = emulator.collections()
    plan = build_plan(config, {"collection": raw}, help_center="acme", help_center_id="1")
    expected = sorted(
        ((("collection", c["id"]), c["updated_at"]) for c in raw), key=lambda v: int(v[0][1])
    )
    assert plan.live_versions == tuple(expected)
    assert plan.source_digest == config.digest
    digest = hashlib.sha256(Path("tests/fixtures/good/minimal.yaml").read_bytes()).hexdigest()
    assert config.digest == digest


def test_digest_of_text_is_of_its_utf8_bytes() -> None:
    text = "collections:\n  - name: Café\n"
    config = load_config_text(text, "inline.yaml")
    assert config.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_pin_to_a_collection_inside_an_ignored_subtree_is_refused(emulator: Emulator) -> None:
    ids = seed(emulator)
    runbooks = ids["Internal / Runbooks"]
    config = load_config_text(
        f"ignore: [Internal]\ncollections:\n  - name: Runbooks\n    id: '{runbooks}'\n",
        "inline.yaml",
    )
    with pytest.raises(ConfigError) as caught:
        build_plan(
            config, {"collection": emulator.collections()}, help_center="acme", help_center_id="1"
        )
    assert str(caught.value.problems[0]) == (
        f"inline.yaml:3:5: collections[0]: 'Runbooks' pins id {runbooks}, which is ignored"
        " (ignore: Internal); manage it here or ignore it, not both"
    )


@pytest.mark.parametrize("ignore", ["ID", "Old / Secret", "Secret"])
@pytest.mark.parametrize("parent", ["previously: [Old]", "id: 'OLD'"])
def test_no_namesake_is_created_beside_an_ignored_collection(
    emulator: Emulator, ignore: str, parent: str
) -> None:
    # The file's parent is matched to live 'Old' by previously or by pin, under another
    # name: comparing path text ('New / Secret' vs 'Old / Secret') would miss the clash and
    # plan a second 'Secret' beside the ignored one.
    old = str(emulator.add_collection("Old")["id"])
    secret = str(emulator.add_collection("Secret", parent_id=old)["id"])
    entry = secret if ignore == "ID" else ignore
    text = (
        f"ignore: ['{entry}']\n"
        "collections:\n"
        f"  - name: New\n    {parent.replace('OLD', old)}\n"
        "    collections:\n"
        "      - name: Secret\n"
    )
    if ignore == "Secret":
        # A name pattern is caught by validation already, whatever the parent is called.
        with pytest.raises(ConfigError, match="both listed in ignore"):
            load_config_text(text, "inline.yaml")
        return
    config = load_config_text(text, "inline.yaml")
    with pytest.raises(ConfigError) as caught:
        build_plan(
            config, {"collection": emulator.collections()}, help_center="acme", help_center_id="1"
        )
    assert [str(p) for p in caught.value.problems] == [
        f"inline.yaml:6:9: collections[0].collections[0]: 'Secret' would sit beside live"
        f" {secret} 'Old / Secret', under the same parent and with the same name, which is"
        f" ignored (ignore: {entry}); manage it here or ignore it, not both"
    ]


def test_a_namesake_of_an_ignored_collection_elsewhere_is_fine(emulator: Emulator) -> None:
    old = str(emulator.add_collection("Old")["id"])
    secret = str(emulator.add_collection("Secret", parent_id=old)["id"])
    text = (
        f"ignore: ['{secret}']\ncollections:\n  - name: Old\n  - name: Other\n"
        "    collections:\n      - name: Secret\n"
    )
    config = load_config_text(text, "inline.yaml")
    plan = build_plan(
        config, {"collection": emulator.collections()}, help_center="acme", help_center_id="1"
    )
    assert [(c.kind, c.path) for c in plan.changes] == [
        ("create", ("Other",)),
        ("create", ("Other", "Secret")),
    ]
