"""hcsync: Intercom Help Center collections as code.

The pipeline, one module each (see the file list): ``loader`` reads YAML with positions,
``schema`` and ``checks`` validate it, ``config`` builds the desired tree, ``client`` fetches
live state, ``normalize`` turns both sides into ``model`` nodes, ``match`` pairs them,
``diff`` and ``plan`` build an immutable plan, ``render`` shows it and ``apply`` carries it out.
"""

from __future__ import annotations

__version__ = "0.1.0"  # the only place it is written: pyproject.toml reads it from here
API_VERSION = "2.10"
