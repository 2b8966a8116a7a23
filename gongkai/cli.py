"""Command line: ``gongkai run [--inbox DIR] [--lake DIR]`` and ``gongkai eval FIXTURES [--truth DIR]``."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INBOX = REPO_ROOT / "samples" / "inbox"

EXIT_OK, EXIT_RUN_FAILED, EXIT_CONTRACT_TESTS_FAILED = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="land, parse, validate and build the warehouse, marts and auditor report")
    run.add_argument("--inbox", type=Path, default=DEFAULT_INBOX, help="folder of report files (default: the bundled samples)")
    run.add_argument("--lake", type=Path, default=Path("data_lake"), help="lake folder, created if absent (default: ./data_lake)")
    run.add_argument("--batch-size", type=int, default=500, help="files per landing/staging task (default 500)")
    run.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                     help="parallel staging processes (default: CPU count; 1 runs in threads)")
    evaluate = commands.add_parser("eval", help="parser accuracy against truth files, by format")
    evaluate.add_argument("fixtures", type=Path, help="folder of report files")
    evaluate.add_argument("--truth", type=Path, default=None, help="folder of <name>.truth.json (default: beside the files)")
    return parser


def evaluate(fixtures: Path, truth: Path | None) -> int:
    """Print the accuracy table; exit 1 when any cell was wrong while marked certain."""
    from gongkai.evaluate import evaluate as run_evaluation, render_table

    tallies = run_evaluation(fixtures, truth)
    print(render_table(tallies))
    examples = [example for tally in tallies.values() for example in tally.wrong_examples]
    for example in examples:
        print("wrong:", example)
    return EXIT_RUN_FAILED if examples else EXIT_OK


def run(inbox: Path, lake: Path, batch_size: int, workers: int) -> int:
    """Run the pipeline flow and print its summary; the exit code says whether the run itself worked."""
    from gongkai.preflight import summary_if_nothing_new
    from gongkai.run_summary import render_text

    if not inbox.is_dir():
        print(f"gongkai: inbox {inbox} is not a folder", file=sys.stderr)
        return EXIT_RUN_FAILED
    unchanged = summary_if_nothing_new(inbox, lake)
    if unchanged is not None:
        print(render_text(unchanged))
        return EXIT_OK
    from prefect.task_runners import ProcessPoolTaskRunner

    from flows.local_server import shared_api_server
    from flows.pipeline import pipeline

    flow = pipeline.with_options(task_runner=ProcessPoolTaskRunner(max_workers=workers)) if workers > 1 else pipeline
    try:
        with shared_api_server():
            summary = flow(inbox=str(inbox), lake=str(lake), batch_size=batch_size)
    except Exception:
        traceback.print_exc()
        print("gongkai: the run failed (see the error above); files already landed are kept", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(render_text(summary))
    if summary["dbt"] and summary["dbt"]["tests_failed"]:
        print("gongkai: the warehouse was built but some of its contract tests failed", file=sys.stderr)
        return EXIT_CONTRACT_TESTS_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "eval":
        return evaluate(args.fixtures, args.truth)
    return run(args.inbox, args.lake, args.batch_size, args.workers)


if __name__ == "__main__":
    sys.exit(main())
