"""Benchmark incremental runs: what a run costs on a large lake when nothing, one file or ten files are new.

Builds (once, cached under ``benchmarks/out/incremental/n<N>/``) a lake of N generated reports in series mode
(five consecutive years of one publisher, so that cross-year rules pair reports), holding back a few reports from
the middle of series: adding one of them later touches its own report and the reports of the years before and
after it. Each scenario runs the real ``gongkai run`` (a subprocess, measured as ``bench_run.py`` measures it):

* ``settle``: a run on the cached lake with nothing new (it rebuilds what the current code needs, if anything);
* ``nothing_new``: the same again, now with nothing to do;
* ``plus_1`` / ``plus_10``: the inbox plus 1 (or 10) held-back reports, run on the cached lake in place (a run
  finds dbt's partial-parse state and GX's data source where the lake was built: a lake moved elsewhere re-parses
  and rewrites them), which is then restored from a pristine copy.

Per run it records the wall time, the run summary's per-step ``seconds`` (startup, landing, staging, rules,
warehouse, report), ``check_seconds``, dbt's seconds and the build kind (nothing new / incremental / full and why). The
inboxes are hard links to one folder of generated files, so they cost no copies. Results are printed and written
to ``benchmarks/out/bench_incremental.md`` (and ``.json``).

Usage::

    python benchmarks/bench_incremental.py                    # 10,000 reports
    python benchmarks/bench_incremental.py --reports 1000     # a quick look
    python benchmarks/bench_incremental.py --rebuild          # regenerate and rebuild the cached lake
    python benchmarks/bench_incremental.py --verify           # also compare +1 with a full build of the same lake
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench_run import default_command, measure  # sibling modules: this file runs as a script
from generate_reports import SERIES_LENGTH, generate

OUT_DIR = Path(__file__).resolve().parent / "out"
PLUS_1_TARGET_S = 20.0
NOTHING_NEW_TARGET_S = 15.0
HELD_BACK = 11  # one report for plus_1, ten for plus_10
SAMPLE_S = 0.5


def held_back(n: int) -> list[int]:
    """Indices of reports kept out of the base lake: the middle year of series spread over the corpus."""
    series = n // SERIES_LENGTH
    step = max(1, series // (HELD_BACK + 1))
    return [(k * step) * SERIES_LENGTH + SERIES_LENGTH // 2 for k in range(1, HELD_BACK + 1)]


def prepare(n: int, base: Path, seed: int, rebuild: bool) -> tuple[Path, list[Path]]:
    """The folder of all generated files (cached) and the held-back files, in order."""
    generated = base / "generated"
    marker = generated / ".complete"
    if rebuild or not marker.exists():
        shutil.rmtree(generated, ignore_errors=True)
        began = time.perf_counter()
        generate(n, generated / "files", seed, truth_dir=generated / "truth", series=True)
        marker.write_text(str(n), encoding="utf-8")
        print(f"[bench_incremental] generated {n} reports in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    files = sorted((generated / "files").iterdir())
    by_index = {int(p.stem.rsplit("_", 1)[1]): p for p in files}
    return generated / "files", [by_index[i] for i in held_back(n)]


def link_inbox(inbox: Path, files: Path, leave_out: set[Path], add: list[Path]) -> Path:
    """An inbox of hard links: every generated file but ``leave_out``, plus ``add``."""
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for path in files.iterdir():
        if path not in leave_out or path in add:
            os.link(path, inbox / path.name)
    return inbox


def run(argv_template: list[str], inbox: Path, lake: Path, log: Path, timeout: float) -> dict:
    """One measured ``gongkai run``; the summary's timings and the build kind."""
    argv = [token.format(inbox=inbox, lake=lake) for token in argv_template]
    usage = measure(argv, log, timeout, interval_s=SAMPLE_S)
    summary_path = lake / "reports" / "run_summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
    row = {
        "wall_s": usage.wall_s,
        "exit": usage.exit_code,
        "peak_tree_rss_mb": usage.peak_tree_rss_mb,
        "elapsed_s": summary.get("elapsed_seconds"),
        "stages": summary.get("seconds") or {},
        "check": summary.get("check_seconds") or {},
        "dbt_s": (summary.get("dbt") or {}).get("seconds"),
        "build": summary.get("build") or ("nothing new" if summary.get("warehouse_current") else "?"),
        "landed": summary.get("landed"),
        "parsed": summary.get("parsed"),
        "checked_reports": summary.get("checked_reports"),
    }
    print(
        f"[bench_incremental] {log.stem}: {usage.wall_s} s, exit {usage.exit_code}, build {row['build']}, "
        f"stages {row['stages']}",
        file=sys.stderr,
    )
    return row


def copy_lake(source: Path, target: Path) -> float:
    """Copy a lake (``cp -a``) over ``target``; returns the seconds it took."""
    shutil.rmtree(target, ignore_errors=True)
    began = time.perf_counter()
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return time.perf_counter() - began


def compare_lakes(left: Path, right: Path) -> list[str]:
    """Differences between two lakes' findings and marts (as multisets of rows); empty when equal.

    The evidence of PASS findings is left out: the rulebook keeps the first 30 evidence cells of a PASS in an order
    that DuckDB's parallel joins do not fix, so two full checks of one lake can differ there (and only there).
    """
    con = duckdb.connect()
    problems = []
    try:
        tables = {
            "findings": "staging/findings/part-*.parquet",
            **{p.stem: f"marts/{p.name}" for p in sorted((left / "marts").glob("*.parquet"))},
        }
        for name, pattern in tables.items():
            columns = (
                "* REPLACE (CASE WHEN status = 'PASS' THEN NULL ELSE cells END AS cells)" if name == "findings" else "*"
            )
            query = f"SELECT {columns} FROM read_parquet('{{}}') EXCEPT ALL SELECT {columns} FROM read_parquet('{{}}')"
            only_left = con.execute(f"SELECT count(*) FROM ({query.format(left / pattern, right / pattern)})")
            only_right = con.execute(f"SELECT count(*) FROM ({query.format(right / pattern, left / pattern)})")
            counts = (only_left.fetchone() or (0,))[0], (only_right.fetchone() or (0,))[0]
            if any(counts):
                problems.append(f"{name}: {counts[0]} rows only in {left.name}, {counts[1]} only in {right.name}")
    finally:
        con.close()
    return problems


def markdown(n: int, rows: dict[str, dict], copy_s: float, problems: list[str] | None) -> str:
    lines = [
        f"# bench_incremental: {n:,} reports",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')}."
        f" Copying the lake to restore it after a scenario (not part of any run): {copy_s:.1f} s.",
        "",
        "| run | wall (s) | elapsed (s) | build | checked | startup | landing | staging | rules | warehouse "
        "| report | rules: pairs / rule db / GX / findings | dbt (s) |",
        "|" + "---|" * 13,
    ]
    for name, r in rows.items():
        s, c = r["stages"], r["check"]
        steps = " | ".join(
            str(s.get(step, "—")) for step in ("startup", "landing", "staging", "rules", "warehouse", "report")
        )
        lines.append(
            f"| {name} | {r['wall_s']} | {r['elapsed_s']} | {r['build']} | {r['checked_reports'] or '—'} "
            f"| {steps} | {' / '.join(str(c.get(k, '—')) for k in ('pairs', 'rule_tables', 'gx_validation'))}"
            f" / {c.get('findings', '—')} | {r['dbt_s'] or '—'} |"
        )
    lines += [
        "",
        "Wall time includes the interpreter, imports and Prefect (the flow runs only when "
        "there is work); elapsed is the flow's own clock.",
        "",
    ]
    if "plus_1" in rows:
        lines.append(
            f"- {'PASS' if rows['plus_1']['wall_s'] < PLUS_1_TARGET_S else 'FAIL'}: +1 file < "
            f"{PLUS_1_TARGET_S:g} s (measured {rows['plus_1']['wall_s']})"
        )
    if "nothing_new" in rows:
        lines.append(
            f"- {'PASS' if rows['nothing_new']['wall_s'] < NOTHING_NEW_TARGET_S else 'FAIL'}: nothing new < "
            f"{NOTHING_NEW_TARGET_S:g} s (measured {rows['nothing_new']['wall_s']})"
        )
    if problems is not None:
        lines.append(
            "- "
            + (
                "PASS: +1 incremental equals a full build (findings and every mart)"
                if not problems
                else "FAIL: +1 incremental differs from a full build: " + "; ".join(problems)
            )
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=OUT_DIR / "incremental")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the reports and rebuild the cached lake")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="rebuild the +1 lake in full and compare its findings and marts with the incremental run",
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=["nothing_new", "plus_1", "plus_10"],
        choices=["nothing_new", "plus_1", "plus_10"],
    )
    parser.add_argument(
        "--command",
        default=default_command(),
        help="pipeline command; {inbox} and {lake} are substituted (default: %(default)s)",
    )
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)

    base = args.workdir / f"n{args.reports}"
    files, held = prepare(args.reports, base, args.seed, args.rebuild)
    template = shlex.split(args.command)
    logs = base / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    base_inbox = link_inbox(base / "inbox_base", files, set(held), [])
    base_lake = base / "lake_base"
    rows: dict[str, dict] = {}
    if args.rebuild or not (base_lake / "warehouse.duckdb").exists():
        shutil.rmtree(base_lake, ignore_errors=True)
        rows["first"] = run(template, base_inbox, base_lake, logs / "first.log", args.timeout)
    rows["settle"] = run(template, base_inbox, base_lake, logs / "settle.log", args.timeout)
    if "nothing_new" in args.scenarios:
        rows["nothing_new"] = run(template, base_inbox, base_lake, logs / "nothing_new.log", args.timeout)
    pristine = base / "lake_pristine"
    copy_s = copy_lake(base_lake, pristine)
    problems = None
    for name, count in (("plus_1", 1), ("plus_10", 10)):
        if name not in args.scenarios:
            continue
        adding = held[:1] if count == 1 else held[1 : 1 + count]
        inbox = link_inbox(base / f"inbox_{name}", files, set(held), adding)
        rows[name] = run(template, inbox, base_lake, logs / f"{name}.log", args.timeout)
        if name == "plus_1" and args.verify:
            full = base / "lake_plus_1_full"
            shutil.rmtree(full, ignore_errors=True)
            rows["plus_1_full"] = run(template, inbox, full, logs / "plus_1_full.log", args.timeout)
            problems = compare_lakes(base_lake, full)
        copy_lake(pristine, base_lake)
    shutil.rmtree(pristine)
    report = markdown(args.reports, rows, copy_s, problems)
    out = OUT_DIR / "bench_incremental.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(
            {
                "reports": args.reports,
                "seed": args.seed,
                "held_back": [p.name for p in held],
                "copy_lake_s": copy_s,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "runs": rows,
                "verify_problems": problems,
            },
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(report)
    return 1 if any(r["exit"] for r in rows.values()) or problems else 0


if __name__ == "__main__":
    sys.exit(main())
