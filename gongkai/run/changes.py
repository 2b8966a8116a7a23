"""What changed since the last published build, and which rebuilds that needs.

Every input of a build is fingerprinted by class:

* ``staging``: each staging part (reports, cells, sections, narrative facts, quarantine): name, size, mtime, and
  the report ids of each ``reports`` part;
* ``reviews``: the auditor's decision parts;
* ``rulebook``: ``expectations/*.json``, ``expectations/sql/*.sql``, the local deadlines and the rules' code;
* ``parser``: the parser version;
* ``dbt``: every file of the dbt project (models, macros, tests, seeds, dbt_project.yml, profiles.yml);
* ``regions``: the region reference tables and the organ alias table;
* ``templates``: the auditor report's templates and code.

:func:`plan_build` compares them with those recorded by the last published build (``<lake>/state/build_inputs.json``,
written by :func:`remember_build_inputs`) and says what to do: nothing; an incremental build (check the new reports
and their pairs, rebuild their warehouse rows, rewrite their pages); or a full build of one or more stages, with the
reasons.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.lake import Lake, part_files, read_columns, write_atomic

STATE_FILE = "build_inputs.json"
PAIRS_FILE = "report_pairs.parquet"  # the report pairs of the published build (gongkai.rules.check writes them)
STAGED_INPUTS = ("reports", "report_cells", "report_sections", "narrative_facts", "quarantine")
NOTHING, INCREMENTAL, FULL = "nothing new", "incremental", "full"
_PACKAGE = Path(__file__).resolve().parents[1]  # gongkai/ (this module is gongkai/run/changes.py)
_REPO = _PACKAGE.parent
RULES_CODE = _PACKAGE / "rules"  # its *.py: the rules' code, part of the rulebook
REPORT_CODE = _PACKAGE / "reports"  # its *.py, with the templates: the auditor report's code
TEMPLATES = REPORT_CODE / "templates"


@dataclass(frozen=True)
class Inputs:
    """The fingerprints of one lake's build inputs."""

    staging: dict[str, list[int]]  # part path (relative to the lake) -> [size, mtime_ns]
    report_ids: dict[str, list[str]]  # reports part path -> its report ids
    reviews: dict[str, list[int]]
    rulebook: str
    parser: str
    dbt: str
    regions: str
    templates: str

    def as_json(self) -> dict:
        return self.__dict__


@dataclass(frozen=True)
class BuildPlan:
    """The rebuilds a run needs: which stages in full, and otherwise which reports are new."""

    kind: str  # NOTHING, INCREMENTAL or FULL
    reasons: tuple[str, ...]  # why, in the words printed by ``gongkai run``
    current: Inputs
    full_check: bool = False  # re-check every report (else only new reports and their pairs)
    full_warehouse: bool = False  # dbt --full-refresh (else incremental models)
    all_pages: bool = False  # rewrite every report page (else the touched reports' only)
    new_reports: frozenset[str] = field(default_factory=frozenset)  # staged since the last build
    reviewed_files: frozenset[str] = field(default_factory=frozenset)  # file_ids with new review decisions

    @property
    def needed(self) -> bool:
        return self.kind != NOTHING

    def describe(self) -> str:
        """One line: the kind of build and why."""
        return self.kind + (f" ({'; '.join(self.reasons)})" if self.reasons else "")


def current_inputs(lake: Lake) -> Inputs:
    """Fingerprint every input class of ``lake`` as it is now."""
    from gongkai.parsing.parser import PARSER_VERSION
    from gongkai.regions.clues import DEFAULT_CLUES_PATH
    from gongkai.regions.organizations import ALIASES_PATH
    from gongkai.regions.reference import DEFAULT_PATH as REGIONS_PATH
    from gongkai.regions.zones import ZONES_PATH
    from gongkai.rules.check import LOCAL_DEADLINES
    from gongkai.rules.suites import default_suites_dir
    from gongkai.warehouse.build import dbt_project_dir

    staging = {
        str(p.relative_to(lake.root)): _stamp(p)
        for table in STAGED_INPUTS
        for p in part_files(lake.staging_table(table))
    }
    report_ids = {
        str(p.relative_to(lake.root)): read_columns(p, ["report_id"]).column(0).to_pylist()
        for p in part_files(lake.staging_table("reports"))
    }
    suites = default_suites_dir()
    dbt = dbt_project_dir()
    regions = Path(os.environ.get("GONGKAI_REGIONS") or REGIONS_PATH)
    return Inputs(
        staging=staging,
        report_ids=report_ids,
        reviews={str(p.relative_to(lake.root)): _stamp(p) for p in part_files(lake.review_decisions)},
        rulebook=_digest(
            [
                *suites.glob("*.json"),
                *(suites / "sql").glob("*.sql"),
                LOCAL_DEADLINES,
                *RULES_CODE.glob("*.py"),
            ]
        ),
        parser=PARSER_VERSION,
        dbt=_digest(
            p
            for folder in ("models", "macros", "tests", "seeds", "snapshots", "analyses")
            for p in (dbt / folder).rglob("*")
            if p.is_file()
        )
        + _digest([dbt / "dbt_project.yml", dbt / "profiles.yml", dbt / "packages.yml"]),
        regions=_digest([regions, DEFAULT_CLUES_PATH, ZONES_PATH, ALIASES_PATH]),
        templates=_digest([*TEMPLATES.glob("*"), *REPORT_CODE.glob("*.py")]),
    )


def recorded_inputs(lake: Lake) -> Inputs | None:
    """The inputs of the last published build, or None when there is none (or it was recorded differently)."""
    path = lake.state / STATE_FILE
    try:
        return Inputs(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def remember_build_inputs(lake: Lake, inputs: Inputs) -> None:
    """Remember the inputs the published warehouse and report were built from, and the report pairs of its check
    (the baseline against which the next incremental check finds the reports whose previous year changed)."""
    checked_pairs = lake.checks / PAIRS_FILE
    if checked_pairs.is_file():
        data = checked_pairs.read_bytes()
        write_atomic(published_pairs(lake), lambda tmp: tmp.write_bytes(data))
    text = json.dumps(inputs.as_json(), separators=(",", ":"))
    write_atomic(lake.state / STATE_FILE, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def published_pairs(lake: Lake) -> Path:
    """The report pairs of the published build."""
    return lake.state / PAIRS_FILE


def plan_build(lake: Lake) -> BuildPlan:
    """Compare the lake's inputs with the last published build's and say which rebuilds are needed."""
    now = current_inputs(lake)
    before = recorded_inputs(lake)
    outputs = (lake.warehouse, lake.auditor_report, lake.findings_workbook)
    if before is None or not all(path.exists() for path in outputs):
        return BuildPlan(FULL, ("no previous build",), now, True, True, True)
    whole = [
        reason
        for changed, reason in (
            (now.parser != before.parser, "the parser version changed"),
            (now.regions != before.regions, "the region reference changed"),
            (now.rulebook != before.rulebook, "the rulebook changed"),
        )
        if changed
    ]
    removed = {r for ids in before.report_ids.values() for r in ids} - {
        r for ids in now.report_ids.values() for r in ids
    }
    if removed:
        whole.append(f"{len(removed)} reports are no longer staged")
    if whole:
        return BuildPlan(FULL, tuple(whole), now, True, True, True)
    reasons: list[str] = []
    dbt_changed = now.dbt != before.dbt
    templates_changed = now.templates != before.templates
    if dbt_changed:
        reasons.append("the dbt project changed: warehouse refreshed in full")
    if templates_changed:
        reasons.append("the report templates changed: every page rewritten")
    changed_parts = {p for p, stamp in now.staging.items() if before.staging.get(p) != stamp}
    new_reports = frozenset(r for p in changed_parts for r in now.report_ids.get(p, ()))
    new_reports |= frozenset(r for p in _same_batch(changed_parts, now.report_ids) for r in now.report_ids[p])
    if new_reports:
        reasons.append(f"{len(new_reports)} new or re-staged reports")
    elif changed_parts:
        reasons.append("new quarantined files")
    new_reviews = [p for p, stamp in now.reviews.items() if before.reviews.get(p) != stamp]
    reviewed = frozenset(_file_ids(lake.root / p for p in new_reviews))
    if new_reviews:
        reasons.append(f"review decisions on {len(reviewed)} files")
    if not reasons and now.reviews == before.reviews and now.staging == before.staging:
        return BuildPlan(NOTHING, (), now)
    kind = FULL if dbt_changed else INCREMENTAL
    return BuildPlan(
        kind,
        tuple(reasons) or ("staging files changed",),
        now,
        full_warehouse=dbt_changed,
        all_pages=dbt_changed or templates_changed,
        new_reports=new_reports,
        reviewed_files=reviewed,
    )


def _same_batch(changed_parts: set[str], report_ids: dict[str, list[str]]) -> list[str]:
    """The reports parts of the staging batches whose cells, sections or facts parts changed."""
    names = {Path(p).name for p in changed_parts}
    return [p for p in report_ids if Path(p).name in names]


def _file_ids(parts: Iterable[Path]) -> set[str]:
    return {f for part in parts for f in read_columns(part, ["file_id"]).column(0).to_pylist() if f}


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _digest(paths: Iterable[Path]) -> str:
    """sha256 over the names and bytes of the files that exist, in name order."""
    digest = hashlib.sha256()
    for path in sorted({p.resolve() for p in paths if p.is_file()}):
        digest.update(str(path.relative_to(_REPO) if path.is_relative_to(_REPO) else path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
