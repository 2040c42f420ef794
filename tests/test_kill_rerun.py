"""An apply killed halfway (SIGKILL: no cleanup, no report) is healed by running apply again.

The emulator serves on loopback with real latency; hcsync runs as a real subprocess, as it
would in CI. Whatever the killed run managed to create (including a create that committed
after the process died) is matched by name on the rerun: no duplicates, nothing lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from support import ROOT, TOKEN, subprocess_env

from hcsync.client import IntercomClient
from hcsync.config import load_config
from hcsync.connection import open_http
from hcsync.emulator import Emulator, Faults, serve
from hcsync.pipeline import plan_against_live

sys.path.insert(0, str(ROOT))
from benchmarks.trees import to_yaml, tree

DEADLINE = 20.0  # seconds; only reached if something is badly wrong


def hcsync(*args: str) -> subprocess.Popen[str]:
    env = subprocess_env({**os.environ, "INTERCOM_ACCESS_TOKEN": TOKEN, "NO_COLOR": "1"})
    return subprocess.Popen(
        [sys.executable, "-m", "hcsync", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_apply_killed_halfway_converges_when_run_again(tmp_path: Path) -> None:
    config = tmp_path / "tree.yaml"
    config.write_text(to_yaml(tree(60)), encoding="utf-8")
    emu = Emulator(token=TOKEN)  # real sleep: the latency is real, over a real socket
    emu.add_help_center("acme")
    emu.faults = Faults(latency=0.02, rate_limit=None)
    with serve(emu) as server:
        first = hcsync("apply", str(config), "--base-url", server.url, "--parallelism", "2")
        deadline = time.monotonic() + DEADLINE
        while len(emu.collections()) < 10 and first.poll() is None:
            assert time.monotonic() < deadline, "the first apply made no progress"
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=DEADLINE)
        assert first.returncode == -signal.SIGKILL
        partial = len(emu.collections())
        assert 10 <= partial < 60, "the kill should land halfway"

        second = hcsync("apply", str(config), "--base-url", server.url)
        out, err = second.communicate(timeout=DEADLINE)
        assert second.returncode == 0, out + err
        assert "Verified" in out
        assert TOKEN not in out + err

        live = emu.collections()
        assert len(live) == 60
        counts = Counter((c["parent_id"], c["name"]) for c in live)
        assert max(counts.values()) == 1, "duplicates"
        client = IntercomClient(open_http(server.url, TOKEN))
        assert plan_against_live(load_config(str(config)), client).plan.empty
