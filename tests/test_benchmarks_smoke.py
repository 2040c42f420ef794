"""The benchmark still runs: tiny sizes, no latency. Its figures are not asserted here (the
real run is ``make bench``; timing never belongs in the test suite)."""

from __future__ import annotations

import sys

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks import run


def test_the_benchmark_runs_at_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--latency-ms", "0", "--plan-size", "20", "--apply-size", "12", "--pure-sizes", "20,40"]
    run.main(args)
    out = capsys.readouterr().out
    for figure in ("plan, 20 live collections", "apply, 12 creates", "pure plan growth"):
        assert figure in out
    assert "vs sequential" in out
