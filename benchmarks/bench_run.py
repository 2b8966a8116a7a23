"""Benchmark the pipeline end to end on synthetic reports.

For each size N it generates N reports into ``<workdir>/n<N>/inbox`` and times three runs of the
pipeline command: the first run, a re-run with nothing new, and a run after adding 1 % new reports.
Each run records wall time and memory of the whole process tree (see ``measure``). Results are
printed as a Markdown table and written to ``<workdir>/bench_results.json``.

Usage::

    python benchmarks/bench_run.py --reports 1000 10000 [--workdir DIR] [--keep]
    python benchmarks/bench_run.py --reports 200 --command 'python -c "..." {inbox} {lake}'
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generate_reports import generate  # sibling module: this file runs as a script

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
FIRST_RUN_TARGET_S = 180.0  # 10,000 reports end to end on 2 cores
RERUN_TARGET_S = 15.0  # nothing new
MEMORY_GROWTH_LIMIT = 1.3  # peak tree RSS at the largest N / at the smallest N
LEFTOVER_GRACE_S = 2.0  # a process still running this long after the command exited is left over


@dataclass
class Usage:
    """Wall time and memory of one command run."""

    wall_s: float
    exit_code: int
    peak_tree_rss_mb: float  # summed RSS of the process tree: max over samples, floored by max_process_rss_mb
    peak_tree_pss_mb: float  # max over samples of the summed PSS (shared pages split between processes)
    max_process_rss_mb: float  # kernel high-water mark (VmHWM) of the largest single process, as sampled
    peak_processes: int
    samples: int
    leftover_processes: int  # tree members still running 2 s after the command exited (then killed)
    timed_out: bool
    leftover_commands: list[str] = field(default_factory=list)  # their command lines, to tell what they were
    peak_by_role_mb: dict[str, float] = field(default_factory=dict)  # largest VmHWM per role (see ROLES)


@dataclass
class RunResult:
    reports: int
    run: str
    files_in_inbox: int
    lake_mb: float
    usage: Usage

    def as_row(self) -> dict[str, object]:
        """One flat JSON object per run."""
        return {
            "reports": self.reports,
            "run": self.run,
            "files_in_inbox": self.files_in_inbox,
            "lake_mb": self.lake_mb,
            **asdict(self.usage),
        }


def _proc_stat(pid: int) -> tuple[int, int]:
    """(parent pid, session id) of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return int(fields[1]), int(fields[3])


def process_tree(root: int) -> set[int]:
    """The root and every process descending from it or sharing its session (survives re-parenting)."""
    parents: dict[int, int] = {}
    tree = {root}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid, session = _proc_stat(int(entry))
        except (FileNotFoundError, ProcessLookupError):
            continue
        parents[int(entry)] = ppid
        if session == root:
            tree.add(int(entry))
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return {pid for pid in tree if pid in parents}


# What a process of a run is, told by its command line (the first match); the command itself is the coordinator.
ROLES = (
    ("Prefect server", "server start"),
    ("side worker", "side_worker:run_call"),
    ("parse worker", "stage:parse_landed"),
    ("staging pool worker", "spawn_main"),
    ("LibreOffice", "soffice"),
)


def role_of(pid: int, root: int) -> str:
    """The role of one process of the tree rooted at ``root`` (ROLES; "other" when none matches)."""
    if pid == root:
        return "coordinator"
    command = _command_line(pid, limit=None)
    return next((role for role, marker in ROLES if marker in command), "other")


def _memory_kb(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS, peak RSS since exec) of one process in KB; zeros if it has gone.

    The peak is the kernel's VmHWM, which starts afresh at exec; ``wait4``'s ru_maxrss does not (a child
    forked from a large parent reports the parent's size), so it is not used.
    """
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            rss = int(f.read().split()[1]) * PAGE_KB
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            pss = next((int(line.split()[1]) for line in f if line.startswith(b"Pss:")), rss)
        with open(f"/proc/{pid}/status", "rb") as f:
            hwm = next((int(line.split()[1]) for line in f if line.startswith(b"VmHWM:")), rss)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0, 0, 0
    return rss, pss, hwm


def measure(argv: list[str], log_path: Path, timeout_s: float, interval_s: float = 0.1) -> Usage:
    """Run argv in its own session; sample the memory of its whole process tree until it exits.

    Summed RSS/PSS is polled from /proc every ``interval_s`` (spikes between samples are missed, so it
    is a lower bound); the largest single process's peak is the kernel's VmHWM, sampled at the same times.
    Processes of the tree still alive when the command exits are counted and killed.
    """
    peak_rss = peak_pss = peak_process = peak_procs = samples = 0
    by_role: dict[str, int] = {}
    roles: dict[int, str] = {}  # pid -> role, read once per process
    timed_out = False
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = process_tree(proc.pid)
            memory = [_memory_kb(p) for p in tree]
            for member, (_, _, hwm) in zip(tree, memory, strict=True):
                role = roles.setdefault(member, role_of(member, proc.pid))
                by_role[role] = max(by_role.get(role, 0), hwm)
            peak_rss = max(peak_rss, sum(m[0] for m in memory))
            peak_pss = max(peak_pss, sum(m[1] for m in memory))
            peak_process = max([peak_process, *(m[2] for m in memory)])
            peak_procs = max(peak_procs, len(tree))
            samples += 1
            if time.perf_counter() - started > timeout_s:
                timed_out = True
                _kill(tree)
            time.sleep(interval_s)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    leftovers = _still_running(proc.pid)
    commands = sorted(_command_line(pid) for pid in leftovers)
    _kill(leftovers)
    peak_rss = max(peak_rss, peak_process)  # the tree's peak is at least its largest process's peak
    return Usage(
        round(wall, 2),
        proc.returncode,
        round(peak_rss / 1024, 1),
        round(peak_pss / 1024, 1),
        round(peak_process / 1024, 1),
        peak_procs,
        samples,
        len(leftovers),
        timed_out,
        commands,
        {role: round(kb / 1024, 1) for role, kb in sorted(by_role.items())},
    )


def _still_running(root: int) -> set[int]:
    """Members of the tree still running ``LEFTOVER_GRACE_S`` after the command exited: a helper that ends by
    itself when its parent is gone (multiprocessing's resource tracker) takes milliseconds; a leaked server
    keeps running."""
    deadline = time.perf_counter() + LEFTOVER_GRACE_S
    while True:
        running = {pid for pid in process_tree(root) - {root} if not _is_zombie(pid)}
        if not running or time.perf_counter() > deadline:
            return running
        time.sleep(0.05)


def _command_line(pid: int, limit: int | None = 200) -> str:
    """The command line of a process, cut at ``limit`` characters ("" when it has gone)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", errors="replace").strip()[:limit]
    except OSError:
        return ""


def _is_zombie(pid: int) -> bool:
    """A process that has ended and waits to be reaped (e.g. multiprocessing's resource tracker, which ends
    with the run and is adopted by init): it runs nothing and holds no memory, so it is not a leftover."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


def _kill(pids: set[int], wait_s: float = 5.0) -> None:
    """SIGKILL the given processes (all started by this benchmark), ignoring ones already gone, and wait (up to
    ``wait_s``) until each has ended: the signal is delivered asynchronously, so a process can still show as
    running for a moment after ``kill`` returns."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.perf_counter() + wait_s
    while any(not _is_zombie(pid) for pid in pids) and time.perf_counter() < deadline:
        time.sleep(0.01)


def _dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1) if path.exists() else 0.0


def default_command() -> str:
    """The real pipeline: the gongkai console script installed next to this interpreter."""
    return f"{shlex.quote(str(Path(sys.executable).parent / 'gongkai'))} run --inbox {{inbox}} --lake {{lake}}"


def bench_size(n: int, workdir: Path, command: str, seed: int, new_pct: float, timeout_s: float) -> list[RunResult]:
    """Generate n reports, then time the first run, a re-run and (if new_pct) a run with new files."""
    base = workdir / f"n{n}"
    shutil.rmtree(base, ignore_errors=True)
    inbox, lake, truth, logs = base / "inbox", base / "lake", base / "truth", workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    generate(n, inbox, seed, truth_dir=truth)
    print(f"[n={n}] generated {n} reports in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    argv = [token.format(inbox=inbox, lake=lake, workdir=workdir) for token in shlex.split(command)]
    runs = [("first", 0), ("rerun", 0)]
    if new_pct:
        runs.append((f"plus_{new_pct:g}pct", math.ceil(n * new_pct / 100)))
    results = []
    for name, new_reports in runs:
        if new_reports:
            generate(new_reports, inbox, seed, truth_dir=truth, start=n)
        usage = measure(argv, logs / f"n{n}_{name}.log", timeout_s)
        results.append(RunResult(n, name, sum(1 for _ in inbox.iterdir()), _dir_mb(lake), usage))
        print(
            f"[n={n}] {name}: {usage.wall_s} s, exit {usage.exit_code}, peak tree RSS {usage.peak_tree_rss_mb} MB",
            file=sys.stderr,
        )
    return results


def markdown(results: list[RunResult]) -> str:
    head = (
        "| reports | run | files | wall (s) | exit | peak tree RSS (MB) | peak tree PSS (MB) "
        "| largest process RSS (MB) | processes | leftover | lake (MB) |"
    )
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        u = r.usage
        exit_code = f"{u.exit_code} (timeout)" if u.timed_out else u.exit_code
        rows.append(
            f"| {r.reports} | {r.run} | {r.files_in_inbox} | {u.wall_s} | {exit_code} | {u.peak_tree_rss_mb} "
            f"| {u.peak_tree_pss_mb} | {u.max_process_rss_mb} | {u.peak_processes} | {u.leftover_processes} "
            f"| {r.lake_mb} |"
        )
    return "\n".join(rows)


def check_targets(results: list[RunResult]) -> list[dict[str, object]]:
    """Verdicts against the README targets (the time target applies to runs of at least 10,000 reports)."""
    verdicts: list[dict[str, object]] = []
    for r in results:
        if r.run == "first" and r.reports >= 10_000:
            verdicts.append(
                {
                    "target": f"first run of {r.reports} reports < {FIRST_RUN_TARGET_S:g} s",
                    "value": r.usage.wall_s,
                    "pass": r.usage.wall_s < FIRST_RUN_TARGET_S,
                }
            )
        if r.run == "rerun":
            verdicts.append(
                {
                    "target": f"re-run with nothing new ({r.reports} reports) < {RERUN_TARGET_S:g} s",
                    "value": r.usage.wall_s,
                    "pass": r.usage.wall_s < RERUN_TARGET_S,
                }
            )
    firsts = sorted((r for r in results if r.run == "first"), key=lambda r: r.reports)
    if len(firsts) >= 2 and firsts[0].usage.peak_tree_rss_mb:
        ratio = firsts[-1].usage.peak_tree_rss_mb / firsts[0].usage.peak_tree_rss_mb
        verdicts.append(
            {
                "target": f"peak tree RSS at {firsts[-1].reports} / at {firsts[0].reports} reports "
                f"<= {MEMORY_GROWTH_LIMIT:g}",
                "value": round(ratio, 2),
                "pass": ratio <= MEMORY_GROWTH_LIMIT,
            }
        )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[1000, 10_000],
        metavar="N",
        help="corpus sizes to benchmark (default: 1000 10000)",
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gongkai-bench")
    parser.add_argument("--keep", action="store_true", help="keep the generated inbox, truth and lake of each size")
    parser.add_argument(
        "--command",
        default=default_command(),
        help="pipeline command; {inbox}, {lake} and {workdir} are substituted (default: %(default)s)",
    )
    parser.add_argument("--new-pct", type=float, default=1.0, help="percent of new reports for the third run (0: skip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: list[RunResult] = []
    for n in sorted(args.reports):
        results += bench_size(n, args.workdir, args.command, args.seed, args.new_pct, args.timeout)
        if not args.keep:
            shutil.rmtree(args.workdir / f"n{n}")
    verdicts = check_targets(results)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "command": args.command,
        "seed": args.seed,
        "targets": verdicts,
        "runs": [r.as_row() for r in results],
    }
    out = args.workdir / "bench_results.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(results))
    print()
    for v in verdicts:
        print(f"- {'PASS' if v['pass'] else 'FAIL'}: {v['target']} (measured {v['value']})")
    print(f"\nresults: {out}; logs: {args.workdir / 'logs'}")
    return 1 if any(r.usage.exit_code for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
