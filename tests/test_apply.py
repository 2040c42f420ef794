"""End to end: plan and apply against the emulator, asserting on live state afterwards.

Every kind of change is applied through the real CLI, then the test reads the emulator's
state and checks that the next plan is empty (convergence), which is the contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from support import EXAMPLE, RunCli, run_cli, write

from hcsync.emulator import Emulator


def live_tree(emu: Emulator) -> dict[str, dict[str, Any]]:
    """The emulator's collections keyed by tree path ("A / B"), with their content."""
    raw = {c["id"]: c for c in emu.collections()}

    def path(c: dict[str, Any]) -> str:
        names = [c["name"]]
        while c["parent_id"] is not None:
            c = raw[c["parent_id"]]
            names.append(c["name"])
        return " / ".join(reversed(names))

    out: dict[str, dict[str, Any]] = {}
    for c in raw.values():
        translations = {
            loc: (text["name"], text["description"])
            for loc, text in (c.get("translated_content") or {}).items()
            if loc not in ("type", "en") and text
        }
        out[path(c)] = {"id": c["id"], "description": c["description"], "tr": translations}
    return out


def assert_converged(hcsync: RunCli, config: str) -> None:
    again = hcsync("plan", config, "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes" in again.out


BASE = """\
    help_center: acme
    default_locale: en
    collections:
      - name: Getting started
        description: First steps
        translated_content:
          fr: {name: Premiers pas, description: Les premiers pas}
          de: {name: Erste Schritte}
        collections:
          - name: Installation
            collections:
              - name: Desktop
      - name: Billing
        collections:
          - name: Invoices
      - name: Old stuff
        collections:
          - name: Legacy
            collections:
              - name: Ancient
"""


def seeded(hcsync: RunCli, tmp_path: Path) -> str:
    config = write(tmp_path, BASE, "base.yaml")
    result = hcsync("apply", config)
    assert result.code == 0, result.out + result.err
    return config


def test_apply_creates_everything_parent_first_and_converges(
    hcsync: RunCli, emulator: Emulator
) -> None:
    result = hcsync("apply", str(EXAMPLE))
    assert result.code == 0, result.err
    assert "Verified" in result.out
    tree = live_tree(emulator)
    assert len(tree) == 15
    assert "Account and billing / Security / Single sign-on" in tree
    assert tree["Getting started"]["tr"]["fr"] == (
        "Premiers pas",
        "Installez Acme et découvrez l'essentiel",
    )
    assert tree["Getting started"]["tr"]["es"] == ("Primeros pasos", "")
    # Order is the contract here: every POST names a parent created by an earlier POST.
    # The emulator hands out increasing ids, so the k-th successful POST made the k-th id.
    ids = sorted((c["id"] for c in emulator.collections()), key=int)
    posts = [r for r in emulator.requests if r.method == "POST" and r.status == 200]
    assert len(posts) == len(ids)
    for k, request in enumerate(posts):
        parent = request.body.get("parent_id")
        assert parent is None or parent in ids[:k]
    assert_converged(hcsync, str(EXAMPLE))


def test_plan_then_apply_then_empty_plan_with_exit_codes(hcsync: RunCli) -> None:
    first = hcsync("plan", str(EXAMPLE), "--detailed-exitcode")
    assert first.code == 2
    assert "15 to create" in first.out
    assert hcsync("plan", str(EXAMPLE)).code == 0  # without the flag, changes are not an error
    assert hcsync("apply", str(EXAMPLE)).code == 0
    assert_converged(hcsync, str(EXAMPLE))


def test_second_apply_is_a_no_op(hcsync: RunCli, emulator: Emulator) -> None:
    assert hcsync("apply", str(EXAMPLE)).code == 0
    writes_before = [r for r in emulator.requests if r.method != "GET"]
    again = hcsync("apply", str(EXAMPLE))
    assert again.code == 0
    assert "No changes" in again.out
    assert [r for r in emulator.requests if r.method != "GET"] == writes_before


def test_rename_by_id_pin_is_an_update(hcsync: RunCli, emulator: Emulator, tmp_path: Path) -> None:
    seeded(hcsync, tmp_path)
    billing = live_tree(emulator)["Billing"]["id"]
    config = write(
        tmp_path, BASE.replace("- name: Billing", f"- name: Payments\n        id: '{billing}'")
    )
    plan = hcsync("plan", config)
    assert "Billing" in plan.out and "Payments" in plan.out
    assert "1 to update" in plan.out and "0 to create" in plan.out
    assert hcsync("apply", config).code == 0
    tree = live_tree(emulator)
    assert tree["Payments"]["id"] == billing
    assert tree["Payments / Invoices"]  # the child came along: nothing recreated
    assert_converged(hcsync, config)


def test_rename_by_previously_is_an_update(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seeded(hcsync, tmp_path)
    before = live_tree(emulator)
    config = write(
        tmp_path, BASE.replace("- name: Billing", "- name: Payments\n        previously: [Billing]")
    )
    assert hcsync("apply", config).code == 0
    tree = live_tree(emulator)
    assert tree["Payments"]["id"] == before["Billing"]["id"]
    assert tree["Payments / Invoices"]["id"] == before["Billing / Invoices"]["id"]
    assert_converged(hcsync, config)


def test_description_change(hcsync: RunCli, emulator: Emulator, tmp_path: Path) -> None:
    seeded(hcsync, tmp_path)
    config = write(tmp_path, BASE.replace("description: First steps", "description: Start here"))
    plan = hcsync("plan", config)
    assert '"First steps" -> "Start here"' in plan.out
    assert hcsync("apply", config).code == 0
    assert live_tree(emulator)["Getting started"]["description"] == "Start here"
    assert_converged(hcsync, config)


def test_translation_add_change_and_remove(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seeded(hcsync, tmp_path)
    text = BASE.replace(
        "fr: {name: Premiers pas, description: Les premiers pas}",
        "fr: {name: Bien démarrer, description: Les premiers pas}",  # change
    ).replace(
        "de: {name: Erste Schritte}",
        "es: {name: Primeros pasos}",  # remove de, add es
    )
    config = write(tmp_path, text)
    plan = hcsync("plan", config)
    for locale in ("translations.fr", "translations.de", "translations.es"):
        assert locale in plan.out
    assert hcsync("apply", config).code == 0
    tr = live_tree(emulator)["Getting started"]["tr"]
    assert tr == {"fr": ("Bien démarrer", "Les premiers pas"), "es": ("Primeros pasos", "")}
    assert_converged(hcsync, config)


def test_move_between_parents_is_an_update(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seeded(hcsync, tmp_path)
    invoices = live_tree(emulator)["Billing / Invoices"]["id"]
    text = BASE.replace(
        "    collections:\n          - name: Invoices\n", "    description: Money\n"
    ).replace(
        "          - name: Installation\n",
        "          - name: Invoices\n"
        f"            id: '{invoices}'\n"
        "          - name: Installation\n",
    )
    config = write(tmp_path, text)
    plan = hcsync("plan", config)
    assert "0 to create" in plan.out and "0 to delete" in plan.out
    assert hcsync("apply", config).code == 0
    assert live_tree(emulator)["Getting started / Invoices"]["id"] == invoices
    assert_converged(hcsync, config)


def test_delete_of_a_subtree_goes_children_first(
    hcsync: RunCli, emulator: Emulator, tmp_path: Path
) -> None:
    seeded(hcsync, tmp_path)
    ids = live_tree(emulator)
    text = BASE.split("  - name: Old stuff")[0]
    config = write(tmp_path, text)
    plan = hcsync("plan", config)
    assert "3 to delete" in plan.out
    assert "Old stuff / Legacy / Ancient" in plan.out
    assert hcsync("apply", config).code == 0
    tree = live_tree(emulator)
    assert not [p for p in tree if p.startswith("Old stuff")]
    deletes = [r.path.rsplit("/", 1)[1] for r in emulator.requests if r.method == "DELETE"]
    assert deletes == [
        ids["Old stuff / Legacy / Ancient"]["id"],
        ids["Old stuff / Legacy"]["id"],
        ids["Old stuff"]["id"],
    ]
    assert_converged(hcsync, config)


def test_a_failed_step_stops_apply_and_a_rerun_converges(emulator: Emulator) -> None:
    """The third create fails for good: apply says what was done and not, exits 1; rerun heals."""
    posts = 0

    def third_post_fails(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
            if posts == 3:
                error = {"code": "parameter_invalid", "message": "Injected failure"}
                body = {"type": "error.list", "request_id": None, "errors": [error]}
                return httpx.Response(400, json=body)
        return emulator.handle(request)

    # One call at a time, so "done" and "not done" are exact (in parallel, the fourth
    # top-level create may or may not have started when the third fails).
    failing = httpx.MockTransport(third_post_fails)
    failed = run_cli(failing, "apply", str(EXAMPLE), "--parallelism", "1")
    assert failed.code == 1
    assert "Injected failure" in failed.err
    assert "2 changes done, 13 not done" in failed.err
    assert len(emulator.collections()) == 2
    rerun = run_cli(emulator.transport, "apply", str(EXAMPLE))
    assert rerun.code == 0, rerun.err
    assert len(emulator.collections()) == 15  # nothing duplicated
    assert run_cli(emulator.transport, "plan", str(EXAMPLE), "--detailed-exitcode").code == 0


def test_plan_formats(hcsync: RunCli, tmp_path: Path) -> None:
    out_file = tmp_path / "plan.json"
    as_json = hcsync("plan", str(EXAMPLE), "--format", "json", "--out", str(out_file))
    assert as_json.code == 0
    data = json.loads(as_json.out)
    assert data["counts"] == {"create": 15, "update": 0, "delete": 0}
    assert json.loads(out_file.read_text()) == data
    markdown = hcsync("plan", str(EXAMPLE), "--format", "markdown")
    assert markdown.code == 0 and markdown.out.lstrip().startswith("#")


def test_colour_only_when_asked_by_a_terminal(hcsync: RunCli) -> None:
    assert "\x1b[" not in hcsync("plan", str(EXAMPLE)).out  # StringIO is not a terminal


# ---- names that try to drive the terminal ---------------------------------------------------

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J X"  # sets the window title, then clears the screen
ESCAPED = "Evil\\u001b]0;pwned\\u0007\\u001b[2J X"
# The file cannot hold such a name (validate refuses control characters in names), so the
# names that try to drive the terminal here come from Intercom.
CLEAN_YAML = """\
    help_center: acme
    collections:
      - name: Pinned
        id: "{pinned}"
      - name: Fresh
"""


def assert_no_escapes(*outputs: str) -> None:
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text


def test_apply_progress_escapes_names(hcsync: RunCli, emulator: Emulator, tmp_path: Path) -> None:
    pinned = emulator.add_collection(f"Pinned {EVIL}")  # renamed by this apply
    live = emulator.add_collection(f"Live {EVIL}")  # deleted by this apply, child first
    emulator.add_collection("Inner", parent_id=live["id"])
    result = hcsync("apply", write(tmp_path, CLEAN_YAML.format(pinned=pinned["id"])))
    assert result.code == 0, result.err
    assert {c["name"] for c in emulator.collections()} == {"Pinned", "Fresh"}
    assert f'name: "Pinned {ESCAPED}" -> "Pinned"' in result.out  # the plan, old name escaped
    applying = result.out.split("Applying:")[1]
    assert f"deleted Live {ESCAPED} / Inner (id " in applying
    assert f"deleted Live {ESCAPED} (id " in applying
    assert_no_escapes(result.out, result.err)


def test_a_partial_apply_report_escapes_names_and_messages(
    emulator: Emulator, tmp_path: Path
) -> None:
    pinned = emulator.add_collection("Pinned")
    live = emulator.add_collection(f"Live {EVIL}")
    inner = emulator.add_collection("Inner", parent_id=live["id"])

    def refuse_the_inner_delete(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE" and request.url.path.endswith(f"/{inner['id']}"):
            error = {"code": "parameter_invalid", "message": f"parent {EVIL} refused"}
            return httpx.Response(400, json={"type": "error.list", "errors": [error]})
        return emulator.handle(request)

    config = write(tmp_path, CLEAN_YAML.format(pinned=pinned["id"]))
    result = run_cli(httpx.MockTransport(refuse_the_inner_delete), "apply", config)
    assert result.code == 1
    assert f"FAILED Live {ESCAPED} / Inner" in result.out
    assert f"apply stopped at delete of Live {ESCAPED} / Inner" in result.err
    assert "parent Evil\\u001b]0;pwned" in result.err
    assert_no_escapes(result.out, result.err)
