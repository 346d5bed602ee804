"""Time `baseline aggregate` over 300 generated assessment records (acceptance: under 5 s).

    python benchmarks/aggregate_300.py [COUNT]

Prints the wall time of the whole command (a fresh interpreter, as a user runs it), best of
three, and the size of the HTML portfolio.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.portfolio_records import ROOT, write_records  # noqa: E402


def main() -> None:
    """Generate the records, then time the CLI three times."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        files = [str(p) for p in write_records(Path(tmp) / "records", count)]
        out = Path(tmp) / "portfolio"
        env_cmd = [sys.executable, "-m", "baseline", "aggregate", *files, "--out", str(out)]
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(env_cmd, check=True, capture_output=True, cwd=ROOT)  # noqa: S603
            times.append(time.perf_counter() - started)
        html = (out / "portfolio.html").stat().st_size
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"baseline aggregate over {count} records: best {min(times):.2f} s "
              f"(runs: {runs} s); portfolio.html {html / 1024:.0f} KiB")  # fmt: skip


if __name__ == "__main__":
    main()
