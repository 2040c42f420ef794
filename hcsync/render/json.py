"""The plan as JSON: exactly ``Plan.to_dict()``, the same value the fingerprint is taken from.

Pure: no IO. Non-ASCII text stays readable (``ensure_ascii=False``); the output ends with a
newline so it is a well-formed text file.
"""

from __future__ import annotations

import json

from hcsync.plan import Plan


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
