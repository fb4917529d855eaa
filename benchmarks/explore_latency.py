"""How long the explorer takes to redraw after a control change, headless (no browser).

Two data sets, each with two periods:

- ``province``: the bundled real Phú Thọ figures, August 2026 (164 units), and a July 2026 made
  from them by moving counts (deterministic; only so that change and comparison have something
  to show);
- ``national``: the 3,321 communes of the 34 provinces (``data/reference/units_2025_new.csv``)
  with SYNTHETIC figures: each commune takes the counts of a real Phú Thọ commune, scaled by a
  deterministic factor. They are labelled synthetic; they only give the explorer the size of a
  national commune set.

For each control the script sets a value as a click would (the widget's observers run, every
output is recomputed and sent) and times it, several rounds; it prints the median and the worst
per control, and the time to build the explorer. Goal: every change under 300 ms.

    .venv/bin/python benchmarks/explore_latency.py [--rounds 5] [--sets province,national]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import zlib
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.explore import app, view  # noqa: E402
from analysis.paths import BUNDLED_FACTS, DATA  # noqa: E402
from analysis.scoring.facts import read_facts  # noqa: E402
from analysis.scoring.methodology import load_methodology  # noqa: E402
from analysis.scoring.score import score  # noqa: E402

GOAL_MS = 300


def _factor(key: str, spread: float) -> float:
    """A deterministic number in [1 - spread, 1 + spread] for a key (crc32, no random state)."""
    return 1 - spread + 2 * spread * (zlib.crc32(key.encode()) % 10_000) / 10_000


def earlier_month(facts: pl.DataFrame, period: str = "2026-07") -> pl.DataFrame:
    """The same units a month earlier, numerators moved by a deterministic factor (never above the denominator)."""
    moved = [min(d, round(n * _factor(f"{u}/{i}", 0.15))) if n is not None and d is not None else n
             for u, i, n, d in facts.select("unit_code", "indicator", "numerator", "denominator").iter_rows()]
    return facts.with_columns(pl.lit(period).alias("period"), pl.Series("numerator", moved, dtype=pl.Float64))


def province_facts(methodology) -> pl.DataFrame:
    august = read_facts(BUNDLED_FACTS, methodology)
    return pl.concat([august, earlier_month(august)])


def national_facts(methodology) -> pl.DataFrame:
    """SYNTHETIC: 3,321 communes (the official 2025 list), each with a real Phú Thọ commune's counts scaled."""
    august = read_facts(BUNDLED_FACTS, methodology)
    communes = august.filter(pl.col("level") == "commune")
    models = communes["unit_code"].unique().sort().to_list()
    province_rows = august.filter(pl.col("level") == "province")
    wards = pl.read_csv(DATA / "reference" / "units_2025_new.csv", infer_schema=False)
    provinces = wards.select("province_code", "province_name").unique().sort("province_code")
    frames = [
        province_rows.with_columns(pl.lit(f"N{code}").alias("unit_code"), pl.lit(f"UBND {name}").alias("unit_name"))
        for code, name in provinces.iter_rows()
    ]
    units = wards.with_row_index("i").select(
        pl.format("N{}.{}", "province_code", "ward_code").alias("unit_code"),
        pl.format("UBND {}", "ward_name").alias("unit_name"),
        pl.format("N{}", "province_code").alias("parent_code"),
        pl.col("i").map_elements(lambda i: models[(i * 7919) % len(models)], return_dtype=pl.String).alias("model"),
    )
    synthetic = units.join(communes.drop("unit_name", "parent_code").rename({"unit_code": "model"}), on="model").drop("model")
    scale = synthetic.select(pl.format("{}/{}", "unit_code", "indicator")).to_series().map_elements(
        lambda k: _factor(k, 0.4), return_dtype=pl.Float64)
    synthetic = synthetic.with_columns(
        (pl.col("numerator") * scale).round(0).alias("numerator"), (pl.col("denominator") * scale).round(0).alias("denominator"),
    ).with_columns(pl.min_horizontal("numerator", "denominator").alias("numerator"))
    august_all = pl.concat([*frames, synthetic.select(august.columns)], how="vertical_relaxed")
    return pl.concat([august_all, earlier_month(august_all)])


def clicks(e: app.Explorer) -> list[tuple[str, object, callable]]:
    """(control, value, action) in the order a user might click them; the last ones reset."""
    parent = next(v for _, v in e.parent.options if v.startswith(("district:", "unit:")))
    measures = [v for _, v in e.measure.options]
    other = next(v for _, v in e.level.options if v != "commune")  # departments, or the provinces of a national set
    return [
        ("metric", "ratio", lambda: setattr(e.metric, "value", "ratio")),
        ("metric", "lost", lambda: setattr(e.metric, "value", "lost")),
        ("metric", "change", lambda: setattr(e.metric, "value", "change")),
        ("metric", "score", lambda: setattr(e.metric, "value", "score")),
        ("measure", "MDSH", lambda: setattr(e.measure, "value", "MDSH")),
        ("measure", measures[-1], lambda: setattr(e.measure, "value", measures[-1])),
        ("measure", "total", lambda: setattr(e.measure, "value", "total")),
        ("periods", "both", lambda: setattr(e.periods, "value", tuple(e.data.periods[-2:]))),
        ("periods", "latest", lambda: setattr(e.periods, "value", (e.data.periods[-1],))),
        ("parent", parent, lambda: setattr(e.parent, "value", parent)),
        ("parent", "all", lambda: setattr(e.parent, "value", "")),
        ("search", "hoà", lambda: setattr(e.search, "value", "hoà")),
        ("search", "", lambda: setattr(e.search, "value", "")),
        ("near band", "≤ 2", lambda: setattr(e.near, "value", 2.0)),
        ("near band", "all", lambda: setattr(e.near, "value", 0.0)),
        ("require", "CLGQ", lambda: setattr(e.require, "value", "CLGQ")),
        ("require", "none", lambda: setattr(e.require, "value", "")),
        ("value", "= 0", lambda: setattr(e.value_filter, "value", "zero")),
        ("value", "all", lambda: setattr(e.value_filter, "value", "all")),
        ("sort", "dossiers", lambda: e.headers[9].click()),
        ("sort", "value", lambda: e.headers[4].click()),
        ("page", "next", lambda: e.next_page.click()),
        ("unit", "open", lambda: e.cells[0][1].click()),
        ("level", other, lambda: setattr(e.level, "value", other)),
        ("level", "commune", lambda: setattr(e.level, "value", "commune")),
    ]


def measure(name: str, facts: pl.DataFrame, methodology, rounds: int) -> list[str]:
    started = time.perf_counter()
    scored = score(facts, methodology)
    data = view.prepare(scored.scorecard, scored.detail, scored.methodology)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    explorer = app.Explorer(data)
    built = time.perf_counter() - started
    communes = data.units.filter((pl.col("period") == data.periods[-1]) & (pl.col("level") == "commune")).height
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for control, _value, action in clicks(explorer):
            t = time.perf_counter()
            action()
            times.setdefault(control, []).append(time.perf_counter() - t)
    lines = [f"{name}: {communes:,} communes, {data.units.filter(pl.col('period') == data.periods[-1]).height:,} units, "
             f"periods {', '.join(data.periods)}; scored and indexed in {prepared:.1f} s, explorer built in {built:.1f} s"]
    worst_all = 0.0
    for control, values in times.items():
        worst = max(values)
        worst_all = max(worst_all, worst)
        lines.append(f"  {control:<11} median {statistics.median(values) * 1000:6.0f} ms   worst {worst * 1000:6.0f} ms   ({len(values)} changes)")
    verdict = "under" if worst_all * 1000 < GOAL_MS else "OVER"
    lines.append(f"  every change: worst {worst_all * 1000:.0f} ms — {verdict} the {GOAL_MS} ms goal")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sets", default="province,national")
    args = parser.parse_args(argv)
    methodology = load_methodology()
    makers = {"province": province_facts, "national": national_facts}
    for name in args.sets.split(","):
        label = name if name == "province" else f"{name} (SYNTHETIC figures)"
        for line in measure(label, makers[name](methodology), methodology, args.rounds):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
