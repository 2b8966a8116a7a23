"""The speed record (issue #14): one run on one machine prints every figure the speed targets are checked on.

Sections, each measured here, now:

1. **Fixed costs**: ``gongkai run`` on a fresh lake with one new text file, then with one more (the embedded
   default: a temporary Prefect server), split as the run summary splits them (before the run, imports, waiting
   for the server, the flow's start, landing, staging, rules, warehouse, report).
2. **Worker start**: a fresh process importing what a parse worker imports before its first file
   (``gongkai.staging.parse_worker``: readers, parser, the memory-mapped region index), median of 5.
3. **PDF pages**: staging (reader + parser) next to pdfplumber ``extract_words`` and pypdfium2 on the same pages,
   CPU time, interleaved (benchmarks/bench_pdf_pages.py).
4. **Files/s by format** on one core (reader + parser + region, in process), from the accuracy set's generated
   HTML, DOCX, legacy DOC and PDF files and generated text reports; and **end to end**: ``gongkai run`` over N
   generated text reports on 2 workers, with the peak memory of the whole process tree and the largest peak of each
   kind of process (coordinator, Prefect server, side worker, staging pool and parse workers: bench_run.ROLES), beside
   the 1-file run's (the coordinator's must not grow with the files).
5. **Scaling**: staging the same raw parts on 1 and 2 workers of the default task runner (threads, each driving its
   own parse process; the pipeline's own sub-flow).
6. **OCR**: CPU seconds per 200-dpi page (benchmarks/bench_ocr.py).

Usage::

    python benchmarks/bench_speed.py                 # ~10 minutes on 2 cores
    python benchmarks/bench_speed.py --reports 300   # a quicker end-to-end section

The tables are printed and written to ``benchmarks/out/bench_speed.md``. No target is asserted here beyond
printing PASS/FAIL lines: machines are noisy, and this file is the record.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests"), str(HERE)]

import bench_pdf_pages  # noqa: E402
from bench_run import Usage, measure  # noqa: E402
from generate_reports import generate  # noqa: E402

OUT = HERE / "out" / "bench_speed.md"
BIN = Path(sys.executable).parent
FIXED_COST_TARGET_S = 5.0
WORKER_START_TARGET_S = 1.0
PDF_RATIO_TARGET = 1.2
TEXT_FILES_PER_S_TARGET = 100.0
SCALING_TARGET = 1.8
RSS_PER_WORKER_TARGET_MB = 500.0
OCR_PAGE_TARGET_S = 3.0


def run_gongkai(inbox: Path, lake: Path, log: Path, *extra: str) -> tuple[float, dict, Usage]:
    """Wall seconds of one ``gongkai run`` (no PREFECT_API_URL: the embedded default), its summary and its memory."""
    os.environ.pop("PREFECT_API_URL", None)
    argv = [str(BIN / "gongkai"), "run", "--inbox", str(inbox), "--lake", str(lake), *extra]
    usage = measure(argv, log, timeout_s=3600)
    if usage.exit_code != 0:
        raise RuntimeError(f"gongkai run exited with {usage.exit_code}: see {log}")
    return usage.wall_s, json.loads((lake / "reports" / "run_summary.json").read_text(encoding="utf-8")), usage


def fixed_costs(work: Path) -> tuple[str, list[str], dict[str, float]]:
    """One text file on a fresh lake, then one more; (table, checks, the first run's peak RSS by role)."""
    files = generate(2, work / "two", seed=7)
    inbox = work / "fixed_inbox"
    inbox.mkdir()
    rows, checks = [], []
    first_roles: dict[str, float] = {}
    for label, file in (("fresh lake, 1 new text file", files[0]), ("+1 text file on that lake", files[1])):
        os.link(file, inbox / file.name)
        wall, summary, usage = run_gongkai(inbox, work / "fixed_lake", work / f"fixed_{len(rows)}.log")
        first_roles = first_roles or usage.peak_by_role_mb
        parts = {
            **summary.get("startup_seconds", {}),
            **{k: v for k, v in summary["seconds"].items() if k != "startup"},
        }
        rows.append(
            f"| {label} | {wall:.1f} | {summary['build']} | " + ", ".join(f"{k} {v:g}" for k, v in parts.items()) + " |"
        )
        checks.append(_check(f"{label}: whole run ≤ {FIXED_COST_TARGET_S:g} s", wall, FIXED_COST_TARGET_S))
    table = ["| run | wall (s) | build | parts (s) |", "|---|---|---|---|", *rows]
    return "\n".join(table), checks, first_roles


def worker_start() -> tuple[str, list[str]]:
    """Seconds for a fresh interpreter to import what a parse worker imports before its first file."""
    code = "import time; t = time.perf_counter(); import gongkai.staging.parse_worker; print(time.perf_counter() - t)"
    imports, walls = [], []
    for _ in range(5):
        began = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - began)
        imports.append(float(out.strip()))
    ready = statistics.median(walls)
    table = (
        "| measure | seconds (median of 5) |\n|---|---|\n"
        "| imports of a parse worker (readers, parser, region index mapped) | "
        f"{statistics.median(imports):.2f} |\n"
        f"| process start to ready (interpreter included) | {ready:.2f} |"
    )
    return table, [_check(f"parse worker ready < {WORKER_START_TARGET_S:g} s", ready, WORKER_START_TARGET_S)]


def pdf_pages(reports: int) -> tuple[str, list[str]]:
    pdfs = bench_pdf_pages.generated_pdfs(reports, 0)
    scan = bench_pdf_pages.scanned_page(pdfs[0])
    results = bench_pdf_pages.measure(pdfs, scan, repeat=3)
    pages = sum(len(bench_pdf_pages.pypdfium2.PdfDocument(pdf)) for pdf in pdfs)
    table, ratio = bench_pdf_pages.render(results, pages, 3)
    return table, [_check(f"PDF staging ≤ {PDF_RATIO_TARGET:g}× extract_words", ratio, PDF_RATIO_TARGET, "×")]


def files_per_second_by_format(work: Path) -> str:
    """Reader + parser + region resolution of each file in this process, one core, files/s by media type."""
    from gongkai.readers.sniff import sniff
    from gongkai.staging.stage import parse_landed

    folder = work / "formats"
    subprocess.run(
        [sys.executable, str(HERE / "build_eval_set.py"), str(folder), "--text", "60"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    by_type: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.endswith(".json"):
            by_type[sniff(path.read_bytes()).media_type].append(path)
    warm_type, warm_paths = next(iter(by_type.items()))
    parse_landed(_landed(warm_paths[0], warm_type))  # imports, the region index
    rows = []
    for media_type, paths in sorted(by_type.items()):
        began = time.process_time()
        for path in paths:
            parse_landed(_landed(path, media_type))
        seconds = time.process_time() - began
        rows.append(f"| {media_type} | {len(paths)} | {1000 * seconds / len(paths):.1f} | {len(paths) / seconds:.0f} |")
    return "\n".join(["| media type | files | CPU ms/file | files/s on one core |", "|---|---|---|---|", *rows])


def _landed(path: Path, media_type: str) -> dict:
    """The row landing would write for ``path``, as a staging worker receives it."""
    content = path.read_bytes()
    return {
        "file_id": hashlib.sha256(content).hexdigest(),
        "file_name": path.name,
        "source_uri": path.as_uri(),
        "media_type": media_type,
        "content": content,
    }


def end_to_end(work: Path, reports: int, first_roles: dict[str, float]) -> tuple[str, list[str]]:
    """``gongkai run`` over ``reports`` generated text reports, 2 workers; the peak memory of each kind of process
    beside ``first_roles`` (the 1-file run's: the coordinator must not grow with the files)."""
    inbox = work / "e2e_inbox"
    generate(reports, inbox, seed=0, truth_dir=work / "e2e_truth")  # the truth files stay out of the inbox
    wall, summary, usage = run_gongkai(inbox, work / "e2e_lake", work / "e2e.log", "--workers", "2")
    rate = summary["files_seen"] / wall
    steps = ", ".join(f"{k} {v:g}" for k, v in summary["seconds"].items())
    roles = usage.peak_by_role_mb
    staging_peak = max(roles.get("staging pool worker", 0.0), roles.get("parse worker", 0.0))
    by_role = "; ".join(
        f"{role} {mb:.0f} (1 file: {first_roles[role]:.0f})" if role in first_roles else f"{role} {mb:.0f}"
        for role, mb in roles.items()
    )
    table = (
        "| files | wall (s) | files/s | steps (s) | peak tree RSS (MB) | peak RSS by process (MB; the 1-file run's) |\n"
        "|---|---|---|---|---|---|\n"
        f"| {summary['files_seen']} | {wall:.1f} | {rate:.1f} | {steps} | {usage.peak_tree_rss_mb:.0f} | {by_role} |"
    )
    return table, [
        _check(
            f"text reports ≥ {TEXT_FILES_PER_S_TARGET:g} files/s end to end",
            rate,
            TEXT_FILES_PER_S_TARGET,
            "files/s",
            higher=True,
        ),
        _check(f"staging workers ≤ {RSS_PER_WORKER_TARGET_MB:g} MB each", staging_peak, RSS_PER_WORKER_TARGET_MB, "MB"),
    ]


def scaling(work: Path) -> tuple[str, list[str]]:
    """Staging the end-to-end run's raw parts again on 1 and 2 workers of the default task runner (threads, each
    driving its own parse process; bench_dask's measure)."""
    import bench_dask
    from flows.local_server import early_api_server
    from gongkai.lake import Lake

    landed = Lake.at(work / "e2e_lake")
    rows, rates = [], {}
    with early_api_server(landed) as api_url:
        api_url()
        for workers in (1, 2):
            seconds, files, used = bench_dask.stage_with("thread", workers, landed, work)
            rates[workers] = files / seconds
            rows.append(
                f"| {workers} | {used} | {files} | {seconds:.1f} | {rates[workers]:.1f} | "
                f"{rates[workers] / rates[1]:.2f}× |"
            )
    table = "\n".join(["| workers | used | files | seconds | files/s | vs 1 |", "|---|---|---|---|---|---|", *rows])
    return table, [
        _check(
            f"2 workers ≥ {SCALING_TARGET:g}× 1 worker (staging)", rates[2] / rates[1], SCALING_TARGET, "×", higher=True
        )
    ]


def ocr() -> str:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_ocr.py"), "--repeat", "1"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or f"(bench_ocr.py failed: {out.stderr.strip()[-300:]})"


def _check(what: str, value: float, target: float, unit: str = "s", *, higher: bool = False) -> str:
    ok = value >= target if higher else value <= target
    return f"- {'PASS' if ok else 'FAIL'}: {what} (measured {value:.2f} {unit})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1000, help="text reports of the end-to-end section")
    parser.add_argument("--pdf-reports", type=int, default=6, help="generated five-page PDFs of the PDF section")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-speed-"))
    sections: list[tuple[str, str]] = []
    checks: list[str] = []

    def record(title: str, result: tuple[str, list[str]] | str) -> None:
        table, found = result if isinstance(result, tuple) else (result, [])
        sections.append((title, table))
        checks.extend(found)
        print(f"\n## {title}\n\n{table}", flush=True)

    fixed_table, fixed_checks, first_roles = fixed_costs(work)
    record("Fixed costs", (fixed_table, fixed_checks))
    record("Worker start", worker_start())
    record("PDF pages (CPU time)", pdf_pages(args.pdf_reports))
    record("Files/s by format (one core, in process)", files_per_second_by_format(work))
    record(f"End to end: {args.reports} text reports, 2 workers", end_to_end(work, args.reports, first_roles))
    record("Staging scaling, thread workers (the default runner)", scaling(work))
    record("OCR (CPU seconds per page, one core)", ocr())
    header = (
        f"# bench_speed\n\nMachine: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M')}. Work folder: {work}\n"
    )
    body = "\n".join(f"\n## {title}\n\n{table}" for title, table in sections)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + body + "\n\n## Targets\n\n" + "\n".join(checks) + "\n", encoding="utf-8")
    print("\n## Targets\n\n" + "\n".join(checks) + f"\n\nwritten to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
