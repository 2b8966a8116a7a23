"""A separate Python environment with the DuckDB release BI tools still bundle (1.1.3), for tests/test_bi_compat.py.

The environment is ``<repo>/.venv-duckdb-1.1`` (git-ignored), built by uv from the hash-pinned
``requirements-duckdb-1.1.lock`` beside this file, once: a stamp holding the lock's sha256 makes every later call a
no-op until the lock changes. ``make test`` builds it first (``make bi-compat``, which runs this file); the test's
fixture calls :func:`ensure_environment` too, so ``pytest`` alone works.

Without network (and no wheel in uv's cache) the environment cannot be built: :func:`ensure_environment` raises
:class:`Unavailable` with the reason, which the test turns into a visible skip, or a failure when
``GONGKAI_REQUIRE_BI_COMPAT`` is set (CI sets it, so the check always runs there).

    python tests/bi_compat/old_duckdb.py      # build it (exit 1 only when it cannot be built and is required)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LOCK = HERE / "requirements-duckdb-1.1.lock"
ENVIRONMENT = REPO / ".venv-duckdb-1.1"
READER = HERE / "read_warehouse.py"
VERSION = "1.1.3"
REQUIRED = "GONGKAI_REQUIRE_BI_COMPAT"  # set (CI): a missing environment fails instead of skipping
_STAMP = ".installed"
_TIMEOUT = 300


class Unavailable(RuntimeError):
    """The old DuckDB environment could not be built (usually: no network and nothing cached)."""


def required() -> bool:
    """Whether a missing environment must fail (CI) rather than skip."""
    return bool(os.environ.get(REQUIRED))


def python() -> Path:
    """The environment's interpreter."""
    return ENVIRONMENT / "bin" / "python"


def ensure_environment() -> Path:
    """Build the environment unless it is current; return its interpreter. Raises Unavailable."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    stamp = ENVIRONMENT / _STAMP
    if python().is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return python()
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        raise Unavailable("uv is not installed (make install puts it in .venv/bin)")
    shutil.rmtree(ENVIRONMENT, ignore_errors=True)
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}  # the interpreter is this one, never a download
    base = getattr(sys, "_base_executable", sys.executable)
    for command in (
        [uv, "venv", "--quiet", "--python", base, str(ENVIRONMENT)],
        [uv, "pip", "sync", "--quiet", "--require-hashes", "--python", str(python()), str(LOCK)],
    ):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, env=environment)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"{' '.join(command[:3])} did not finish in {_TIMEOUT} s") from None
        if done.returncode != 0:
            shutil.rmtree(ENVIRONMENT, ignore_errors=True)
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise Unavailable(
                f"cannot build the DuckDB {VERSION} environment ({' '.join(command[:3])}): "
                + (detail[-1] if detail else f"exit {done.returncode}")
            )
    stamp.write_text(digest + "\n", encoding="utf-8")
    return python()


def main() -> int:
    try:
        interpreter = ensure_environment()
    except Unavailable as error:
        print(f"bi-compat: {error}", file=sys.stderr)
        if required():
            return 1
        print("bi-compat: tests/test_bi_compat.py will be skipped", file=sys.stderr)
        return 0
    print(f"bi-compat: DuckDB {VERSION} environment ready: {interpreter}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
