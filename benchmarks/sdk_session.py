"""What both SDK baseline scripts start and end with: their command line, the YAML file read
with ``yaml.safe_load``, Intercom's official SDK client, and the help center named; then
the desired and live states compared and the counts printed.

Owns only that shared start and end. Must not import hcsync: a user of the SDK has none.
"""

from __future__ import annotations

import argparse
import os
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import yaml
from intercom import Intercom


class Session(NamedTuple):
    document: dict[str, Any]  # the YAML file, as yaml.safe_load reads it
    client: Intercom
    help_center_id: str
    file: pathlib.Path  # the config file (articles: is relative to it)


def start(description: str | None, argv: Sequence[str] | None) -> Session:
    """``FILE --base-url URL --help-center NAME``, the token from INTERCOM_ACCESS_TOKEN."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("file")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--help-center", required=True)
    args = parser.parse_args(argv)
    with open(args.file, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    client = Intercom(token=os.environ["INTERCOM_ACCESS_TOKEN"], base_url=args.base_url)
    center = next(hc for hc in client.help_centers.list() if hc.identifier == args.help_center)
    return Session(document, client, str(center.id), pathlib.Path(args.file))


def report(want: Mapping[Any, Any], have: Mapping[Any, Any]) -> int:
    """Compare the desired and live states by key and print what a plan would do: 0 when
    they agree, 2 (changes pending) otherwise."""
    if want == have:
        print("No changes.")
        return 0
    missing = want.keys() - have.keys()
    extra = have.keys() - want.keys()
    changed = [key for key in want.keys() & have.keys() if want[key] != have[key]]
    print(f"{len(missing)} to create, {len(changed)} to update, {len(extra)} to delete.")
    return 2
