"""Command line: ``gongkai run``, ``gongkai serve`` (scheduled deployment), ``gongkai review import`` and
``gongkai eval``."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import dataclasses
import os
import sys
import time
import traceback
from enum import IntEnum
from pathlib import Path
from typing import Any

from gongkai.ingest.landing import DEFAULT_MAX_FILE_SIZE
from gongkai.ingest.sizes import format_size, parse_size
from gongkai.ingest.web.options import add_web_options
from gongkai.staging.isolation import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INBOX = REPO_ROOT / "samples" / "inbox"


class Exit(IntEnum):
    """What ``gongkai run`` exits with: one meaning each (see EXIT_MEANINGS)."""

    OK = 0
    RUN_FAILED = 1
    BAD_ARGUMENTS = 2
    CONTRACT_TESTS_FAILED = 3
    LAKE_BUSY = 4


EXIT_MEANINGS = {
    Exit.OK: "ok: the run worked (reports that fail rules do not fail the run)",
    Exit.RUN_FAILED: "the run failed (files already landed are kept; the next run resumes)",
    Exit.BAD_ARGUMENTS: "bad arguments, or the inbox is not a folder",
    Exit.CONTRACT_TESTS_FAILED: (
        "the warehouse's contract tests failed: the previous warehouse, marts and report are kept"
    ),
    Exit.LAKE_BUSY: "the lake is busy: another run holds it and --if-busy exit was given",
}
EXIT_CODES_HELP = "exit codes:\n" + "".join(f"  {code.value}  {meaning}\n" for code, meaning in EXIT_MEANINGS.items())


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="land, parse, validate and build the warehouse, marts and auditor report",
        description="Land every file below the inbox, parse and validate it, build the "
        "warehouse, marts and auditor report.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_pipeline_options(run)
    add_web_options(run)
    run.add_argument(
        "--if-busy",
        choices=("wait", "exit"),
        default="wait",
        help="when another run holds the lake: wait for it (default), or exit at once with code 4",
    )
    serve = commands.add_parser(
        "serve",
        help="serve the pipeline as a scheduled Prefect deployment",
        description="Serve the pipeline as the Prefect deployment pipeline/NAME, run on a cron schedule (and by "
        "hand from the Prefect UI or API) until interrupted. Without PREFECT_API_URL a Prefect server is "
        "started on 127.0.0.1 with its database in <lake>/state/prefect; with it, that server is used.",
    )
    _add_pipeline_options(serve)
    add_web_options(serve)
    serve.add_argument("--cron", default="0 2 * * *", help='when to run (cron syntax; default "0 2 * * *")')
    serve.add_argument("--timezone", default="Asia/Shanghai", help="time zone of the schedule (default Asia/Shanghai)")
    serve.add_argument("--name", default="gongkai", help="deployment name (default gongkai: pipeline/gongkai)")
    serve.add_argument(
        "--port",
        type=int,
        default=4200,
        help="port of the local Prefect server when one is started (default 4200, else a free one)",
    )
    review = commands.add_parser("review", help="the auditor's decisions on findings")
    review_commands = review.add_subparsers(dest="review_command", required=True)
    importing = review_commands.add_parser(
        "import",
        help="record the decisions filled in the Excel workbook (or a CSV with its headers)",
        description="Record the 审核结论 / 审核意见 filled in auditor_findings.xlsx (or a CSV with the same headers). "
        "Decisions are appended to <lake>/reviews/decisions/ and carried into the next run.",
    )
    importing.add_argument("file", type=Path, help="the filled workbook (.xlsx) or CSV (.csv, UTF-8)")
    importing.add_argument("--lake", type=Path, default=Path("data_lake"), help="lake folder (default: ./data_lake)")
    evaluate = commands.add_parser("eval", help="parser accuracy against truth files, by format")
    evaluate.add_argument("fixtures", type=Path, help="folder of report files")
    evaluate.add_argument(
        "--truth", type=Path, default=None, help="folder of <name>.truth.json (default: beside the files)"
    )
    return parser


def _add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """The options of a pipeline run, shared by ``run`` and ``serve``."""
    from flows.runners import TASK_RUNNERS

    parser.add_argument(
        "--inbox",
        type=Path,
        default=None,
        help="folder of report files (default: the bundled samples, unless --urls or --crawl is given)",
    )
    parser.add_argument(
        "--lake", type=Path, default=Path("data_lake"), help="lake folder, created if absent (default: ./data_lake)"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=500,
        help="at most this many files per landing/staging task (default 500; smaller parts are made "
        "so that every worker gets several)",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="parallel staging workers (default: CPU count)"
    )
    parser.add_argument(
        "--task-runner",
        choices=TASK_RUNNERS,
        default="thread",
        help="where staging runs: threads of this process, each driving its own parse process "
        "(default), a local process pool, or a Dask cluster",
    )
    parser.add_argument(
        "--dask-address",
        metavar="tcp://HOST:8786",
        default=None,
        help="scheduler of an existing Dask cluster (with --task-runner dask; default: a "
        "LocalCluster of --workers processes); the lake must be on storage every worker mounts "
        "at the same path",
    )
    parser.add_argument(
        "--time-limit",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"time to read and parse one file before it is quarantined (default {DEFAULT_TIME_LIMIT:g})",
    )
    parser.add_argument(
        "--memory-limit",
        type=_size,
        default=DEFAULT_MEMORY_LIMIT,
        metavar="SIZE",
        help=f"memory one file may use while read and parsed (default {format_size(DEFAULT_MEMORY_LIMIT)})",
    )
    parser.add_argument(
        "--max-file-size",
        type=_size,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="SIZE",
        help=f"larger files are quarantined, not landed (default {format_size(DEFAULT_MAX_FILE_SIZE)})",
    )


def _flow_parameters(args: argparse.Namespace) -> dict[str, Any]:
    """The pipeline flow's parameters from the command line (paths absolute: a served run starts elsewhere)."""
    return {
        "inbox": str(args.inbox.resolve()) if args.inbox else None,
        "lake": str(args.lake.resolve()),
        "batch_size": args.batch_size,
        "time_limit": args.time_limit,
        "memory_limit": args.memory_limit,
        "max_file_size": args.max_file_size,
        "workers": args.workers,
        "task_runner": args.task_runner,
        "dask_address": args.dask_address,
        "web": args.web,
    }


def _check_pipeline_options(args: argparse.Namespace) -> str | None:
    """Why the options cannot run, or None. Reads the web sources into ``args.web`` (None without --urls and
    --crawl) and defaults the inbox to the bundled samples when there are none."""
    from gongkai.ingest.web.manifest import ManifestError
    from gongkai.ingest.web.options import web_sources

    try:
        args.web = web_sources(args)
    except ManifestError as error:
        return str(error)
    if args.inbox is None and args.web is None:
        args.inbox = DEFAULT_INBOX
    if args.inbox is not None and not args.inbox.is_dir():
        return f"inbox {args.inbox} is not a folder"
    if args.dask_address and args.task_runner != "dask":
        return "--dask-address needs --task-runner dask"
    if args.workers < 1 or args.batch_size < 1:
        return "--workers and --batch-size must be at least 1"
    return None


def evaluate(fixtures: Path, truth: Path | None) -> int:
    """Print the accuracy table; exit 1 when any cell was wrong while marked certain."""
    from gongkai.staging.evaluate import evaluate as run_evaluation
    from gongkai.staging.evaluate import render_table

    tallies = run_evaluation(fixtures, truth)
    print(render_table(tallies))
    examples = [example for tally in tallies.values() for example in tally.wrong_examples]
    for example in examples:
        print("wrong:", example)
    return Exit.RUN_FAILED if examples else Exit.OK


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Run the pipeline flow and print its summary; the exit code says whether the run itself worked."""
    from gongkai.lake import Lake
    from gongkai.run.lake_lock import LakeBusy, lake_lock

    problem = _check_pipeline_options(args)
    if problem:
        _say(f"gongkai: {problem}")
        return Exit.BAD_ARGUMENTS
    lake = Lake.at(args.lake)
    waiting = "; waiting for it to finish (use --if-busy exit to give up instead)"
    try:
        with lake_lock(
            lake,
            wait=args.if_busy == "wait",
            inbox=str(args.inbox.resolve() if args.inbox else "web"),
            on_wait=lambda who: _say(f"gongkai: the lake {lake.root} is in use by {who}{waiting}"),
        ):
            return _run_locked(args)
    except LakeBusy as busy:
        _say(f"gongkai: {busy}; this run did not start (exit {Exit.LAKE_BUSY.value})")
        return Exit.LAKE_BUSY


def _run_locked(args: argparse.Namespace) -> int:
    from flows.local_server import ServerStartError, early_api_server
    from gongkai.lake import Lake
    from gongkai.run.summary import render_text

    try:
        # The temporary Prefect server (when the run needs one) is launched first, so that it starts on the other core
        # while this process looks for new files, imports the flow and starts the side worker; a run that finds
        # nothing to do stops it unused.
        with early_api_server(Lake.at(args.lake), on_retry=_say) as api_url:
            unchanged = _summary_if_nothing_new(args)
            if unchanged is not None:
                print(render_text(unchanged))
                return Exit.OK
            before_run = time.time() - args.started_at  # interpreter, the CLI, the lake lock, the look for new files
            from gongkai.run import side_worker

            side_worker.prestart()  # the check and the workbook run there; it imports the rulebook meanwhile
            importing = time.perf_counter()
            from flows.pipeline import pipeline
            from gongkai.run.warmup import warm_up_while

            waiting = time.perf_counter()
            # there is work: the build and the report will need their imports, made while the server starts
            _, warm_up_wait = warm_up_while(api_url)
            startup = {
                "before_run": before_run,
                "imports": waiting - importing,
                "server_wait": time.perf_counter() - waiting - warm_up_wait,
                "warm_up_wait": warm_up_wait,
            }
            state = pipeline(
                **_flow_parameters(args),
                wait_if_busy=False,
                started_at=args.started_at,
                startup=startup,
                return_state=True,
            )
    except ServerStartError as error:
        _say(f"gongkai: {error}")
        return Exit.RUN_FAILED
    summary = state.result(raise_on_failure=False)
    if not isinstance(summary, dict):  # the flow raised: its state holds the error
        if isinstance(summary, BaseException):
            traceback.print_exception(summary)
        _say("gongkai: the run failed (see the error above); files already landed are kept")
        return Exit.RUN_FAILED
    print(render_text(summary))
    if state.is_failed():
        _say(f"gongkai: {state.message}")
        return Exit.CONTRACT_TESTS_FAILED
    return Exit.OK


def _summary_if_nothing_new(args: argparse.Namespace) -> dict | None:
    """The summary of a run with nothing to do, or None when there is work (or web sources: only fetching tells)."""
    if args.web is not None:  # the flow's fetch task asks the servers (304s are cheap)
        return None
    from gongkai.run.preflight import summary_if_nothing_new

    return summary_if_nothing_new(args.inbox, args.lake, args.max_file_size, started_at=args.started_at)


def serve(args: argparse.Namespace) -> int:
    """Serve the pipeline as a scheduled deployment until interrupted."""
    problem = _check_pipeline_options(args)
    if problem:
        _say(f"gongkai: {problem}")
        return Exit.BAD_ARGUMENTS
    from flows.local_server import ServerStartError
    from flows.serve import serve as serve_pipeline
    from gongkai.lake import Lake

    parameters = _flow_parameters(args)
    if args.web is not None:  # deployment parameters are JSON; Prefect turns them back into WebSources per run
        parameters["web"] = dataclasses.asdict(args.web)
    try:
        serve_pipeline(
            Lake.at(args.lake), args.name, args.cron, parameters, timezone=args.timezone, port=args.port, log=_say
        )
    except ServerStartError as error:
        _say(f"gongkai: {error}")
        return Exit.RUN_FAILED
    except KeyboardInterrupt:
        _say("gongkai: serving stopped")
    return Exit.OK


def review_import(file: Path, lake_dir: Path) -> int:
    """Record the decisions of ``file``; print how many, and the stale ones (their finding is gone)."""
    from gongkai.lake import Lake
    from gongkai.reports.reviews import ReviewImportError, import_decisions
    from gongkai.run.lake_lock import lake_lock

    lake = Lake.at(lake_dir)
    try:
        with lake_lock(lake, wait=True, inbox=f"review import {file}"):
            result = import_decisions(lake, file)
    except (ReviewImportError, OSError) as error:
        _say(f"review import failed: {error}")
        return Exit.BAD_ARGUMENTS
    print(
        f"imported {result.imported} decisions into {result.part or lake.review_decisions}; "
        "they are carried into the findings by the next run"
    )
    for file_id, rule_id, scope in result.stale:
        print(f"stale: no FAIL or UNCERTAIN finding {rule_id} {scope} in file {file_id[:12]}… any more")
    return Exit.OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gongkai`` command."""
    args = _parser().parse_args(argv)
    args.started_at = process_start_time()
    if args.command == "eval":
        return evaluate(args.fixtures, args.truth)
    if args.command == "review":
        return review_import(args.file, args.lake)
    if args.command == "serve":
        return serve(args)
    return run(args)


def console_main() -> None:
    """The ``gongkai`` console script: :func:`main`, then an exit that skips the interpreter's teardown.

    Freeing the modules and objects of Prefect, dbt and GX took 2.5 s after every run, with nothing left to do:
    a handler registered before any other runs last, after the other exit handlers (the parse workers' shutdown,
    logging) and after non-daemon threads were joined, flushes the standard streams and ends the process."""
    status = {"code": 1}  # an uncaught exception exits with 1, as the interpreter would
    atexit.register(_exit_without_teardown, status)
    try:
        status["code"] = main()
    except SystemExit as stop:  # argparse's usage errors (2) and --help (0)
        status["code"] = 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
        raise
    sys.exit(status["code"])


def _exit_without_teardown(status: dict[str, int]) -> None:
    # multiprocessing registers its own exit handler when first imported, before this one, so it would run after
    # this one, that is never: run it here. It unlinks the named semaphores this process made (dbt's adapter
    # locks); left to the resource tracker, they were cleaned up with a "leaked semaphore objects" warning.
    if "multiprocessing.util" in sys.modules:
        sys.modules["multiprocessing.util"]._exit_function()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status["code"])


def process_start_time() -> float:
    """When this process started (epoch seconds), so that a run's elapsed time includes interpreter start and
    imports; the time of the call where /proc is not available."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime ")
        )
    except (OSError, IndexError, ValueError, StopIteration):
        return time.time()
    return boot + ticks / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    console_main()
