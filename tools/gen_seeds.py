"""Generate the dbt seeds that carry the Python vocabularies into the warehouse: dbt_project/seeds/cell_keys.csv
(every canonical cell key with its Chinese labels, from gongkai/keys.py) and dbt_project/seeds/code_labels.csv (the
codes of the contract's code columns with their Chinese labels, from the modules that define them). The dbt tests
check the code columns against code_labels, and the marts take their Chinese labels from it.

Usage:  .venv/bin/python -m tools.gen_seeds [--check]    (``make docs``; --check exits 1 when a seed is stale)
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from gongkai import keys
from gongkai.ingest import quarantine
from gongkai.parsing import sections
from gongkai.reports import labels, reviews

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "dbt_project" / "seeds"
CELL_KEYS_HEADER = (
    "table_id",
    "row_key",
    "col_key",
    "label_zh",
    "table_label_zh",
    "row_label_zh",
    "col_label_zh",
    "sort_order",
)
CODE_LABELS_HEADER = ("vocabulary", "code", "label_zh", "sort_order")


class Vocabulary(NamedTuple):
    """The codes of one vocabulary with their Chinese labels, and the columns that hold them."""

    columns: str
    labels: Mapping[str, str]


# Vocabulary name (as the dbt tests and marts name it) -> its columns, and its codes and labels in the defining order.
VOCABULARIES = {
    "format_version": Vocabulary("reports.format_version", keys.FORMAT_LABELS),
    "parse_status": Vocabulary("reports.parse_status", labels.PARSE_STATUS_LABELS),
    "region_status": Vocabulary("reports.region_status", labels.REGION_STATUS_LABELS),
    "region_level": Vocabulary(
        "reports.admin_level and region_level, dim_region and the marts' region_level", keys.MART_LEVEL_LABELS
    ),
    "value_status": Vocabulary("report_cells.value_status", keys.VALUE_STATUS_LABELS),
    "section_key": Vocabulary("report_sections.section_key", sections.SECTION_LABELS),
    "finding_status": Vocabulary("findings.status", keys.FINDING_STATUS_LABELS),
    "severity": Vocabulary("findings.severity", keys.SEVERITY_LABELS),
    "rule_family": Vocabulary("findings.family, mart_rule_outcomes_by_region_year.family", keys.RULE_FAMILY_LABELS),
    "review_status": Vocabulary("review_decisions.review_status", reviews.REVIEW_STATUSES),
    "quarantine_stage": Vocabulary("quarantine.stage", quarantine.STAGES),
    "quarantine_reason": Vocabulary("quarantine.reason_code", quarantine.QUARANTINE_REASONS),
}


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV with a header line, ``\\n`` line ends and quotes only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def cell_keys_rows() -> list[tuple[str, str, str, str, str, str, str, int]]:
    """One row per canonical cell key (gongkai.keys.canonical_cells), numbered in that order from 1."""
    rows = []
    for order, (table_id, row_key, col_key) in enumerate(keys.canonical_cells(), 1):
        row_labels, col_labels = keys.row_col_labels(table_id)
        rows.append(
            (
                table_id,
                row_key,
                col_key,
                keys.label_of(table_id, row_key, col_key),
                keys.TABLE_LABELS[table_id],
                row_labels[row_key],
                col_labels[col_key],
                order,
            )
        )
    return rows


def code_labels_rows() -> list[tuple[str, str, str, int]]:
    """One row per code of each vocabulary, numbered from 1 within the vocabulary in its defining order."""
    return [
        (vocabulary, code, label, order)
        for vocabulary, codes in VOCABULARIES.items()
        for order, (code, label) in enumerate(codes.labels.items(), 1)
    ]


def expected_seeds() -> dict[Path, str]:
    """What each generated seed must contain."""
    return {
        SEEDS / "cell_keys.csv": csv_text(CELL_KEYS_HEADER, cell_keys_rows()),
        SEEDS / "code_labels.csv": csv_text(CODE_LABELS_HEADER, code_labels_rows()),
    }


def stale_seeds() -> list[Path]:
    """The seeds whose committed text differs from what this script writes."""
    return [p for p, text in expected_seeds().items() if not p.exists() or p.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    """Write the seeds, or with --check report the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when a generated seed is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_seeds()
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run `make docs`", file=sys.stderr)
        return 1 if stale else 0
    SEEDS.mkdir(exist_ok=True)
    for path, text in expected_seeds().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
