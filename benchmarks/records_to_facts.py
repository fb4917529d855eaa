"""Benchmark: one-stop-shop records → facts at national scale — the command, the library, DuckDB.

For each size (default 1 M, 10 M and 50 M dossiers: a national year is about 50 M) it

1. generates synthetic national records once — 34 provinces, January–December 2026,
   hive-partitioned Parquet ``dossiers/year=2026/month=MM/province=HXX/part-N.parquet`` — and keeps
   them under ``benchmarks/out/`` (git-ignored) for the next run, plus the same dossiers as one
   Parquet file (``dossiers.parquet``: the export a user hands to the command);
2. measures, each in a fresh Python process, as a whole process (interpreter start, imports,
   reading, writing: the wall time a user waits) and by its own clock:
   - **command**: ``python -m analysis facts --records dossiers.parquet --units units.parquet
     --period 2026 --out facts.parquet`` — every row check, the duplicate check and the rejects
     accounting included (``--records-folder`` measures the hive folder instead);
   - **library**: ``analysis.io.scan.scan_dossiers`` + ``analysis.io.indicators.dossier_facts``
     (no row checks), streaming engine;
   - **DuckDB**: one SQL query over the same file computing the same per-unit counts, rolled up
     the unit hierarchy;
   - **DuckDB with the command's checks**: that query, then the command's row checks and its
     duplicate check (ids compared by a 64-bit hash) as one more query (the same work);
3. prints wall times, the peak resident memory of each process (``os.wait4`` rusage of that
   child only), dossiers per second, the command ÷ DuckDB ratio of whole-process times, and
   whether every engine gave DuckDB's counts for every unit.

This is a script that prints figures, not a test.  Usage::

    .venv/bin/python benchmarks/records_to_facts.py                 # 1M, 10M, 50M
    .venv/bin/python benchmarks/records_to_facts.py --sizes 1M      # while developing
    .venv/bin/python benchmarks/records_to_facts.py --sizes 1M,10M --csv-folder   # 100 CSV exports
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SOURCES = {"command": ROOT / "src", "library": ROOT / "src"}
"""The source tree each engine runs (``--src`` measures another one's command beside this one's)."""
MONTHS = "2026-01..2026-12"
PERIOD = "2026"

COUNTS = ["received", "on_time", "online", "direct", "postal", "fee", "paid", "unhappy", "done",
          "synced", "e_result", "digitized", "reused_data", "personal_store", "citizen_data"]
"""Per-unit counts both paths produce (rolled up: a unit counts itself and all its descendants)."""

FROM_FACTS = {
    # count: (indicator, numerator|denominator|received-minus-numerator)
    "received": ("ON_TIME", "denominator"),
    "on_time": ("ON_TIME", "numerator"),
    "online": ("ONLINE_DOSSIER", "numerator"),
    "direct": ("DIRECT_DOSSIER", "numerator"),
    "postal": ("POSTAL_DOSSIER", "numerator"),
    "fee": ("PAYMENT_DOSSIER", "denominator"),
    "paid": ("PAYMENT_DOSSIER", "numerator"),
    "unhappy": ("DOSSIER_RECEIVING_SATISFACTION", "complement"),
    "done": ("AVG_PROCESSING_DAYS", "denominator"),
    "synced": ("DOSSIER_SYNC", "numerator"),
    "e_result": ("ORIGINAL_RESULT_AVAILABLE", "numerator"),
    "digitized": ("SO_HOA_GIAY_TO_GIAI_QUYET", "numerator"),
    "reused_data": ("REUSED_DIGITIZED_DATA", "numerator"),
    "personal_store": ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "numerator"),
    "citizen_data": ("CITIZEN_DATA_CONNECTED_DOSSIER", "numerator"),
}


def parse_size(text: str) -> int:
    text = text.strip().upper().replace("_", "")
    factor = 1
    if text.endswith("M"):
        factor, text = 1_000_000, text[:-1]
    elif text.endswith("K"):
        factor, text = 1_000, text[:-1]
    return int(float(text) * factor)


def label(n: int) -> str:
    return f"{n // 1_000_000} M" if n % 1_000_000 == 0 else f"{n:,}".replace(",", ".")


def vi(x: float, digits: int = 1) -> str:
    """Vietnamese number style: 12.345,6."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


# --------------------------------------------------------------------------------------------
# data


def dataset(n: int, seed: int) -> tuple[Path, float | None]:
    """The national records with n dossiers (generated once; None = reused from an earlier run)."""
    folder = OUT / f"national-{n}-seed{seed}"
    meta = folder / "metadata.json"
    start = time.perf_counter()
    cached = False
    if meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        cached = info.get("dossiers") == n and info.get("seed") == seed and info.get("partitioned")
    if not cached:
        subprocess.run(
            [sys.executable, "-m", "analysis", "generate", "--national", "--dossiers", str(n), "--months", MONTHS,
             "--seed", str(seed), "--out", str(folder)],
            check=True, cwd=ROOT, env=source_env(),
        )
    single = folder / "dossiers.parquet"
    if not single.exists():  # the same dossiers as one file, as a province's system exports them
        import polars as pl

        (pl.scan_parquet(folder / "dossiers", hive_partitioning=True).drop("year", "month")
         .sink_parquet(single))
        cached = False
    return folder, None if cached else time.perf_counter() - start


def csv_folder(folder: Path, n: int) -> Path:
    """The same dossiers as 100 monthly CSV exports (``2018-01.csv`` … ``2026-04.csv``), made once."""
    import polars as pl

    target = folder / "csv-100"
    if (target / "2026-04.csv").exists():
        return target
    target.mkdir(exist_ok=True)
    per_file = -(-n // 100)
    for i in range(100):
        name = f"{2018 + i // 12}-{i % 12 + 1:02d}.csv"
        (pl.scan_parquet(folder / "dossiers.parquet").slice(i * per_file, per_file).drop("province", strict=False)
         .sink_csv(target / name))
    return target


# --------------------------------------------------------------------------------------------
# the two measured paths (each runs in its own process: `--measure polars|duckdb FOLDER OUT`)


def facts_to_counts(facts, counts_out: Path) -> int:
    """The per-unit counts in a facts table (as DuckDB computes them); returns the dossiers received."""
    import polars as pl

    wide = facts.pivot("indicator", index="unit_code", values=["numerator", "denominator"], aggregate_function="first")
    columns = []
    for count, (indicator, part) in FROM_FACTS.items():
        if part == "complement":
            columns.append((pl.col("denominator_ON_TIME") - pl.col(f"numerator_{indicator}")).alias(count))
        else:
            columns.append(pl.col(f"{part}_{indicator}").alias(count))
    wide.select("unit_code", *[c.cast(pl.Int64) for c in columns]).write_parquet(counts_out)
    return int(facts.filter(pl.col("indicator") == "ON_TIME", pl.col("parent_code").is_null())["denominator"].sum())


def measure_library(records: Path, units_path: Path, counts_out: Path) -> dict[str, float]:
    import polars as pl

    from analysis.contract.periods import parse_period
    from analysis.io.indicators import dossier_facts
    from analysis.io.scan import scan_dossiers

    units = pl.read_parquet(units_path)
    start = time.perf_counter()
    facts = dossier_facts(scan_dossiers(records), parse_period(PERIOD), units=units)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": facts_to_counts(facts, counts_out)}


def ancestor_pairs(units_path: Path) -> list[tuple[str, str]]:
    """(unit, ancestor) for every unit and each of its ancestors, itself included."""
    import polars as pl

    units = pl.read_parquet(units_path)
    parent = dict(zip(units["unit_code"].to_list(), units["parent_code"].to_list(), strict=True))
    pairs = []
    for code in parent:
        current: str | None = code
        seen: set[str] = set()
        while current is not None and current not in seen:
            pairs.append((code, current))
            seen.add(current)
            current = parent.get(current)
    return pairs


DUCKDB_SQL = """
WITH d AS (
    SELECT *,
           finished_at IS NOT NULL AND finished_at < TIMESTAMP '{stop}' AS finished_in
    FROM {source}
    WHERE {year_filter}
      received_at >= TIMESTAMP '{start}' AND received_at < TIMESTAMP '{stop}'
), f AS (
    SELECT unit_code,
           CASE
               WHEN coalesce(supplement_requests, 0) > 1 THEN false
               WHEN due_at IS NOT NULL THEN
                   (CASE WHEN finished_in THEN finished_at ELSE TIMESTAMP '{last}' END)
                   < (CASE WHEN CAST(due_at AS TIME) = TIME '00:00:00' THEN due_at + INTERVAL 1 DAY
                           ELSE due_at + INTERVAL 1 MICROSECOND END)
               ELSE true
           END AS on_time,
           channel, fee_required, paid_online, rating, status, finished_in,
           synced, e_result, digitized, reused_data, personal_store, citizen_data
    FROM d
), per_unit AS (
    SELECT unit_code,
           count(*) AS received,
           count(*) FILTER (WHERE on_time) AS on_time,
           count(*) FILTER (WHERE channel = 'online') AS online,
           count(*) FILTER (WHERE channel = 'direct') AS direct,
           count(*) FILTER (WHERE channel = 'postal') AS postal,
           count(*) FILTER (WHERE fee_required) AS fee,
           count(*) FILTER (WHERE fee_required AND paid_online) AS paid,
           count(*) FILTER (WHERE NOT on_time OR coalesce(rating = 'unsatisfied', false)) AS unhappy,
           count(*) FILTER (WHERE finished_in AND (status IN ('finished', 'returned') OR status IS NULL)) AS done,
           count(*) FILTER (WHERE synced) AS synced,
           count(*) FILTER (WHERE e_result) AS e_result,
           count(*) FILTER (WHERE digitized) AS digitized,
           count(*) FILTER (WHERE reused_data) AS reused_data,
           count(*) FILTER (WHERE personal_store) AS personal_store,
           count(*) FILTER (WHERE citizen_data) AS citizen_data
    FROM f
    GROUP BY unit_code
)
SELECT p.ancestor_code AS unit_code, {sums}
FROM units u
JOIN pairs p ON p.unit_code = u.unit_code
LEFT JOIN per_unit c ON c.unit_code = p.unit_code
GROUP BY p.ancestor_code
"""


CHECKS_SQL = """
SELECT count(*) FILTER (WHERE
           nullif(dossier_id::VARCHAR, '') IS NULL OR nullif(unit_code::VARCHAR, '') IS NULL
           OR nullif(procedure_code::VARCHAR, '') IS NULL
           OR received_at IS NULL
           OR (nullif(status, '') IS NOT NULL AND status NOT IN ({statuses}))
           OR (nullif(channel, '') IS NOT NULL AND channel NOT IN ({channels}))
           OR (nullif(rating, '') IS NOT NULL AND rating NOT IN ({ratings}))
           OR coalesce(due_at < date_trunc('day', received_at), false)
           OR coalesce(finished_at < date_trunc('day', received_at), false)
           OR (status IN ({terminal}) AND finished_at IS NULL)
           OR coalesce(supplement_requests, 0) < 0
           OR unit_code NOT IN (SELECT unit_code FROM units)) AS bad,
       count(*) - count(DISTINCT hash(dossier_id)) AS repeated
FROM {source}
"""
"""The command's row checks and duplicate check, as one DuckDB query (the "same work" line).  Ids
are compared by a 64-bit hash, as the command does (``count(DISTINCT dossier_id)`` on the text
takes DuckDB half as long again at 10 M), without the command's second look at the ids of
repeated hashes.  The codes come from the contract, through ``BENCH_CODES`` (the measured
process does not load the suite)."""


@cache
def contract_codes() -> str:
    """The contract's status, channel and rating codes and the terminal statuses, as JSON."""
    from analysis.io.record_vocabulary import CHANNELS, RATINGS, STATUSES, TERMINAL

    return json.dumps({"statuses": list(STATUSES), "channels": list(CHANNELS), "ratings": list(RATINGS),
                       "terminal": list(TERMINAL)})


def unit_pairs(units_path: Path) -> Path:
    """The (unit, ancestor) pairs beside the units table, written once (DuckDB's process reads them
    with ``read_parquet``, so it loads no library but DuckDB)."""
    import polars as pl

    target = units_path.with_name("unit_pairs.parquet")
    if not target.exists():
        pl.DataFrame(ancestor_pairs(units_path), schema=["unit_code", "ancestor_code"], orient="row").write_parquet(target)
    return target


def measure_duckdb(records: Path, units_path: Path, counts_out: Path, *, checked: bool = False) -> dict[str, float]:
    """DuckDB's counts query (and, ``checked``, its query of the command's checks); the process
    imports DuckDB alone: the units and their pairs are read by DuckDB, the counts written by it."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    con.sql(f"CREATE TABLE units AS SELECT unit_code, parent_code FROM read_parquet('{units_path.as_posix()}')")
    con.sql(f"CREATE TABLE pairs AS SELECT * FROM read_parquet('{units_path.with_name('unit_pairs.parquet').as_posix()}')")
    first = date(int(PERIOD), 1, 1)
    folder = records.is_dir()
    csv = folder and any(records.glob("*.csv"))
    if csv:  # a folder of CSV exports: types found by DuckDB's sniffer
        source = f"read_csv('{(records / '*.csv').as_posix()}', union_by_name = true)"
    elif folder:
        source = f"read_parquet('{(records / '**' / '*.parquet').as_posix()}', hive_partitioning = true)"
    else:
        source = f"read_parquet('{records.as_posix()}')"
    sql = DUCKDB_SQL.format(
        source=source, year_filter=f"year = {first.year} AND" if folder and not csv else "",
        start=f"{first.isoformat()} 00:00:00", stop=f"{first.year + 1}-01-01 00:00:00",
        last=f"{first.year}-12-31 23:59:59.999999",
        sums=", ".join(f"coalesce(sum(c.{c}), 0)::BIGINT AS {c}" for c in COUNTS),
    )
    con.sql(f"COPY ({sql}) TO '{counts_out.as_posix()}' (FORMAT PARQUET)")
    found = (0, 0)
    if checked:
        codes = {k: ", ".join(f"'{c}'" for c in v) for k, v in json.loads(os.environ["BENCH_CODES"]).items()}
        row = con.sql(CHECKS_SQL.format(source=source, **codes)).fetchall()[0]
        found = (int(row[0]), int(row[1]))
    measured = {"seconds": time.perf_counter() - start}
    return {**measured, "rejected": found[0], "repeated": found[1]} if checked else measured


def root_rows(counts: Path, units_path: Path) -> int:
    """The dossiers received, from per-unit counts: the sum over the units without a parent."""
    import polars as pl

    roots = pl.read_parquet(units_path).filter(pl.col("parent_code").is_null())["unit_code"].implode()
    return int(pl.read_parquet(counts).filter(pl.col("unit_code").is_in(roots))["received"].sum())


def command_argv(records: Path, units: Path, out: Path) -> list[str]:
    """The ``facts`` command as a user types it."""
    return [sys.executable, "-m", "analysis", "facts", "--records", str(records), "--units", str(units),
            "--period", PERIOD, "--out", str(out)]


def source_env(tree: Path = ROOT / "src") -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


ENGINES = ("command", "library", "duckdb", "duckdb-checked")
SHOWN = {"command": "command (`facts`)", "library": "library (polars streaming)", "duckdb": "DuckDB",
         "duckdb-checked": "DuckDB, with the command's row and duplicate checks",
         "other": "command, --src tree"}


def run_measurement(engine: str, records: Path, units: Path, counts_out: Path) -> dict[str, float]:
    """Run one measurement in a fresh process: its whole wall time (from start to exit) and its
    peak RSS from wait4 (that child only)."""
    env = {**source_env(SOURCES.get(engine, ROOT / "src")), "BENCH_CODES": contract_codes()}
    facts_out = counts_out.with_suffix(".facts.parquet")
    if engine in ("command", "other"):
        argv = command_argv(records, units, facts_out)
    else:
        argv = [sys.executable, str(Path(__file__).resolve()), "--measure", engine, str(records), str(units),
                str(counts_out)]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, cwd=ROOT, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    process_seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{engine} measurement failed (exit {os.waitstatus_to_exitcode(status)})")
    if engine in ("command", "other"):
        import polars as pl

        result = {"seconds": process_seconds, "rows": facts_to_counts(pl.read_parquet(facts_out), counts_out)}
    else:
        result = json.loads(output.decode().strip().splitlines()[-1])
        result.setdefault("rows", root_rows(counts_out, units))
    result["process_seconds"] = process_seconds
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # the work done, whatever the machine's load
    result["peak_mib"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


def csv_same_as_parquet(csv_facts: Path, parquet: Path, units: Path, tmp: Path) -> bool:
    """Whether the command's facts from the CSV exports (a measured run's) are those of the command
    on the same dossiers in one Parquet file."""
    out = tmp / "parquet-facts.parquet"
    subprocess.run(command_argv(parquet, units, out), check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=source_env())
    return same_facts(csv_facts, out)


def read_through(records: Path) -> None:
    """Read every byte of the input once, unmeasured, so no measured run pays for a cold page cache."""
    for file in ([records] if records.is_file() else sorted(p for p in records.rglob("*") if p.is_file())):
        with file.open("rb") as handle:
            while handle.read(2**24):
                pass


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over the runs (the largest peak memory)."""
    def median(key: str) -> float:
        values = sorted(r[key] for r in runs)
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    return {"seconds": median("seconds"), "process_seconds": median("process_seconds"),
            "cpu_seconds": median("cpu_seconds"), "rows": runs[0]["rows"], "peak_mib": max(r["peak_mib"] for r in runs)}


def same_facts(a: Path, b: Path) -> bool:
    import polars as pl

    keys = ["unit_code", "indicator"]
    return pl.read_parquet(a).sort(keys).equals(pl.read_parquet(b).sort(keys))


def same_counts(a: Path, b: Path) -> tuple[bool, int]:
    import polars as pl

    left = pl.read_parquet(a).sort("unit_code")
    right = pl.read_parquet(b).sort("unit_code").select(left.columns)
    if left.height != right.height or left["unit_code"].to_list() != right["unit_code"].to_list():
        return False, left.height
    return left.equals(right), left.height


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "records → facts").splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M,50M", help="comma-separated dossier counts (default 1M,10M,50M)")
    parser.add_argument("--seed", type=int, default=766)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per engine and size; the median is shown (default 3)")
    parser.add_argument("--src", type=Path, help="also measure the command of this source tree (e.g. an earlier "
                        "version: mkdir -p DIR && git archive COMMIT src | tar -x -C DIR; then DIR/src)")
    parser.add_argument("--records-folder", action="store_true",
                        help="measure the hive-partitioned folder instead of the single Parquet file")
    parser.add_argument("--csv-folder", action="store_true",
                        help="measure the engines on the same dossiers as a folder of 100 monthly CSV exports")
    parser.add_argument("--measure", nargs=4, metavar=("ENGINE", "RECORDS", "UNITS", "COUNTS_OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        engine, records, units, counts_out = args.measure
        paths = (Path(records), Path(units), Path(counts_out))
        found = measure_library(*paths) if engine == "library" else measure_duckdb(*paths, checked=engine == "duckdb-checked")
        print(json.dumps(found))
        return 0

    if args.src:
        SOURCES["other"] = args.src.resolve()
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    same_as_parquet: dict[int, bool] = {}
    with tempfile.TemporaryDirectory(prefix="bench-counts-") as tmp:
        for n in sizes:
            folder, generated = dataset(n, args.seed)
            records = folder / "dossiers" if args.records_folder else folder / "dossiers.parquet"
            if args.csv_folder:
                records = csv_folder(folder, n)
            unit_pairs(folder / "units.parquet")
            read_through(records)
            note = f"generated in {vi(generated)} s" if generated is not None else "cached"
            print(f"[{label(n)} dossiers] data: {records.relative_to(ROOT)} ({note})", file=sys.stderr)
            engines = tuple(e for e in ENGINES if not (args.csv_folder and e == "library"))  # the library reads Parquet
            engines = (*engines, "other") if args.src else engines
            runs: dict[str, list[dict[str, float]]] = {e: [] for e in engines}
            for _ in range(max(args.repeat, 1)):
                for engine in engines:  # in turn, so all see the same load on a shared machine
                    r = run_measurement(engine, records, folder / "units.parquet", Path(tmp) / f"{engine}-{n}.parquet")
                    print(f"[{label(n)} dossiers] {engine}: process {vi(r['process_seconds'], 2)} s "
                          f"(own clock {vi(r['seconds'], 2)} s, CPU {vi(r['cpu_seconds'], 2)} s), "
                          f"peak {vi(r['peak_mib'], 0)} MiB, "
                          + (f"rows failing a check {r['rejected']}, repeated ids {r['repeated']}, " if "rejected" in r else "")
                          + f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
                    runs[engine].append(r)
            results = {e: median_run(rs) for e, rs in runs.items()}
            if args.csv_folder:
                same_as_parquet[n] = csv_same_as_parquet(Path(tmp) / f"command-{n}.facts.parquet", folder / "dossiers.parquet",
                                                         folder / "units.parquet", Path(tmp))
            same = [same_counts(Path(tmp) / f"{e}-{n}.parquet", Path(tmp) / f"duckdb-{n}.parquet")
                    for e in engines if e != "duckdb"]
            rows.append((n, results, all(ok for ok, _ in same), same[0][1]))

    print()
    shape = ("100 monthly CSV exports" if args.csv_folder else
             "hive-partitioned folder" if args.records_folder else "one Parquet file")
    print(f"records → facts, national synthetic dossiers of {MONTHS.replace('..', '–')}, period {PERIOD}, "
          f"{shape}; median of "
          f"{max(args.repeat, 1)} runs per engine (time and CPU each), peak RSS the largest (machine: {os.cpu_count()} CPUs, "
          f"load average now {os.getloadavg()[0]:.1f})")
    print()
    print("| dossiers | engine | whole process (s) | ÷ DuckDB | CPU (s) | ÷ DuckDB | own clock (s) | peak RSS (MiB) "
          "| dossiers/s | same counts |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for n, results, ok, units in rows:
        base, base_cpu = results["duckdb"]["process_seconds"], results["duckdb"]["cpu_seconds"]
        for engine in results:
            r = results[engine]
            print(f"| {label(n)} | {SHOWN[engine]} | {vi(r['process_seconds'], 2)} | {vi(r['process_seconds'] / base, 2)} | "
                  f"{vi(r['cpu_seconds'], 2)} | {vi(r['cpu_seconds'] / base_cpu, 2)} | {vi(r['seconds'], 2)} | "
                  f"{vi(r['peak_mib'], 0)} | {vi(r['rows'] / r['process_seconds'], 0)} | "
                  f"{('yes, ' + vi(units, 0) + ' units') if ok else 'NO'} |")
    for n, same in same_as_parquet.items():
        print(f"{label(n)}: the command's facts from the CSV exports are {'the same as' if same else 'NOT the same as'} "
              "from the same dossiers in one Parquet file")
    return 0 if all(ok for *_, ok, _ in rows) and all(same_as_parquet.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
