"""Benchmark: the monthly report end to end (``python -m analysis report``) on the bundled data.

Prints the wall time of the whole run, each notebook's execution time and each page's size,
against the goals: under 60 s end to end on a 2-core machine, each page at most 2.5 MB.

    .venv/bin/python benchmarks/suite.py [--params F] [--runs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 60.0
GOAL_PAGE_BYTES = 2_500_000


def one_run(params: str | None, out: Path) -> tuple[float, dict, Path]:
    command = [sys.executable, "-m", "analysis", "report", "--out", str(out), "--quiet"]
    if params:
        command += ["--params", params]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"report failed with exit status {result.returncode}")
    index = Path(result.stdout.strip().splitlines()[-1])
    run = json.loads((index.parent / "run.json").read_text(encoding="utf-8"))
    return wall, run, index.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", help="parameters YAML (default: the bundled Phú Thọ, August 2026 run)")
    parser.add_argument("--runs", type=int, default=1, help="how many runs (the table shows the median wall time)")
    parser.add_argument("--keep", help="write the report here instead of a temporary folder")
    args = parser.parse_args()

    walls: list[float] = []
    with tempfile.TemporaryDirectory(prefix="suite-bench-") as temporary:
        out = Path(args.keep or temporary)
        for _ in range(args.runs):
            wall, run, folder = one_run(args.params, out)
            walls.append(wall)
        pages = sorted(folder.glob("*.html"))
        sizes = {p.name: p.stat().st_size for p in pages}

    wall = statistics.median(walls)
    print(f"report {run['scope']} {run['period']} ({run['methodology']}), {args.runs} run(s)")
    print(f"{'step':<28}{'seconds':>10}{'page':>22}{'bytes':>12}")
    print("-" * 72)
    for notebook in run["notebooks"]:
        page = notebook["html"] or "(failed)"
        size = sizes.get(page, 0)
        print(f"notebook {notebook['name']:<19}{notebook['seconds']:>10.1f}{page:>22}{size:>12,}")
    print(f"{'':<28}{'':>10}{'index.html':>22}{sizes.get('index.html', 0):>12,}")
    print("-" * 72)
    print(f"{'end to end (wall)':<28}{wall:>10.1f}   runs: {', '.join(f'{w:.1f}' for w in walls)}")
    biggest = max(sizes.values())
    print(f"goal end to end < {GOAL_SECONDS:.0f} s: {'ok' if wall < GOAL_SECONDS else 'MISSED'}; "
          f"goal page ≤ {GOAL_PAGE_BYTES / 1e6:.1f} MB: {'ok' if biggest <= GOAL_PAGE_BYTES else 'MISSED'} "
          f"(largest {biggest / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
