"""Parser accuracy benchmark: the hand-labelled real reports and a generated set in every format.

    .venv/bin/python benchmarks/bench_accuracy.py [--workdir DIR] [--text N] [--no-scans] [--update-readme]

Prints, per format, cells exact / flagged / missing / wrong, the year, format label and region (to the county)
read right, and the examples of anything wrong. Sets:

* ``real``: every report of the real corpus (``../shared/corpus/real``, or ``GONGKAI_REAL_CORPUS``) that has a
  hand-labelled truth in ``tests/truth/real/``; skipped with a note when the corpus is absent;
* ``generated``: ``build_eval_set.py`` (HTML in four encodings, ruled PDFs, DOCX and legacy .doc, synthetic text
  reports, and, unless ``--no-scans``, image-only scans of the PDFs at 200 and 150 dpi, read by OCR).

``--update-readme`` writes the tables into README.md between the ``accuracy-table`` markers. Exit 1 when any cell
is wrong while marked certain, or a wrong region is claimed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

from build_eval_set import build  # noqa: E402
from corpus import REAL_CORPUS  # noqa: E402
from gongkai.staging.evaluate import Tally, evaluate, evaluate_pairs, render_table, total  # noqa: E402

REAL_TRUTH = ROOT / "tests" / "truth" / "real"
README = ROOT / "README.md"
MARK_BEGIN, MARK_END = "<!-- accuracy-table:begin -->", "<!-- accuracy-table:end -->"


def real_pairs() -> list[tuple[Path, Path]]:
    """(report, truth) for every labelled real report that is present."""
    pairs = []
    for truth in sorted(REAL_TRUTH.glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        found = [p for p in REAL_CORPUS.glob(f"{stem}.*") if not p.name.endswith(".truth.json")]
        if found:
            pairs.append((found[0], truth))
    return pairs


def _report(title: str, tallies: dict[str, Tally]) -> str:
    lines = [f"#### {title}", "", render_table(tallies), ""]
    whole = total(tallies)
    lines += [f"- wrong: {example}" for example in whole.wrong_examples]
    lines += [f"- label: {example}" for example in whole.label_examples]
    return "\n".join(lines).rstrip() + "\n"


def _update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    head, found, rest = readme.partition(MARK_BEGIN)
    if not found:
        raise SystemExit(f"README.md has no {MARK_BEGIN} marker")
    _old, found, tail = rest.partition(MARK_END)
    README.write_text(f"{head}{MARK_BEGIN}\n{text}{MARK_END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=None, help="where the generated set is built (default: temp)")
    parser.add_argument("--text", type=int, default=200, help="synthetic text reports in the generated set")
    parser.add_argument("--no-scans", action="store_true", help="leave out the OCR scans (fast)")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()

    sections = []
    pairs = real_pairs()
    if pairs:
        real = evaluate_pairs(pairs)
        sections.append(("real", _report(f"Real reports ({len(pairs)} hand-labelled, ../shared/corpus/real)", real)))
    else:
        print(f"note: no real reports found in {REAL_CORPUS}: the real set is skipped", file=sys.stderr)
        real = {}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        build(workdir, args.text, scans=not args.no_scans)
        generated = evaluate(workdir)
        for scans in sorted(workdir.glob("scans*")):
            generated.update(evaluate(scans, group_prefix=f"{scans.name.removeprefix('scans')} dpi: "))
    sections.append(("generated", _report("Generated reports (benchmarks/build_eval_set.py)", generated)))
    text = "\n".join(body for _name, body in sections)
    print(text)
    if args.update_readme:
        _update_readme(text)
    everything = total({**{f"r{k}": v for k, v in real.items()}, **generated})
    return 1 if everything.wrong or everything.region_wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
