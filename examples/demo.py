"""`make demo`: plan and apply examples/collections.yaml against the bundled emulator.

Starts the Intercom emulator on loopback with one empty help center ("acme"), then runs the
real `hcsync` command three times, as a user would: `plan` (everything to create), `apply`,
and `plan --detailed-exitcode` again, which must say there is nothing left to do.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from hcsync.emulator import Emulator, serve

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "collections.yaml"
TOKEN = "demo-token-not-a-secret"  # the emulator accepts it; it is not a real Intercom token


def run(args: list[str], base_url: str) -> int:
    shown = " ".join(["hcsync", *args])
    print(f"\n$ {shown}", flush=True)
    env = {**os.environ, "INTERCOM_ACCESS_TOKEN": TOKEN}
    cmd = [sys.executable, "-m", "hcsync", *args, "--base-url", base_url]
    return subprocess.run(cmd, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    port = parser.parse_args().port
    emulator = Emulator(token=TOKEN)
    emulator.add_help_center("acme", "Acme Help Center")
    try:
        server = serve(emulator, port=port)
    except OSError:
        print(f"port {port} is busy; using a free one instead")
        server = serve(emulator, port=0)
    with server:
        print(f"Intercom emulator listening on {server.url} (help center 'acme', empty)")
        config = (
            str(CONFIG.relative_to(Path.cwd()))
            if CONFIG.is_relative_to(Path.cwd())
            else str(CONFIG)
        )
        steps = [
            ["plan", config],
            # --yes: on a terminal apply asks before it writes; the demo runs unattended.
            ["apply", config, "--yes"],
            ["plan", config, "--detailed-exitcode"],
        ]
        for step in steps:
            code = run(step, server.url)
            if code != 0:
                print(f"\ndemo failed: `hcsync {' '.join(step)}` exited {code}", file=sys.stderr)
                return 1
    print(
        f"\nDone: {len(emulator.collections())} collections created, and the second plan is "
        "empty.\nEmulator stopped."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
