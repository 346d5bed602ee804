"""Allow `python -m baseline`."""

from baseline.cli import main

raise SystemExit(main())
