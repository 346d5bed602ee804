"""Allow `python -m baseline`."""

import os
import sys

# `python -m` puts the current folder first on the import path. Run from inside a scanned
# (hostile) repository, its `json.py` or `yaml.py` would shadow the real module and run.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from baseline.cli import main  # noqa: E402 - the import path must be cleaned first

raise SystemExit(main())
