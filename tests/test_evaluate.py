"""gongkai eval: accuracy by format against truth files, and a failing exit when a certain cell is wrong."""
from __future__ import annotations

import json
from pathlib import Path

from gongkai.cli import main
from gongkai.evaluate import evaluate
from html_fixtures import html_cases


def _truth_file(folder: Path, stem: str, flat: dict[str, str | None]) -> None:
    tables: dict = {}
    for key, value in flat.items():
        table, row, col = key.split(".")
        tables.setdefault(table, {}).setdefault(row, {})[col] = value
    (folder / f"{stem}.truth.json").write_text(json.dumps({"tables": tables}, ensure_ascii=False), encoding="utf-8")


def test_every_cell_is_counted_exact_against_a_correct_truth(tmp_path: Path) -> None:
    case = html_cases()[0]
    (tmp_path / "page.html").write_bytes(case.content)
    _truth_file(tmp_path, "page", case.truth)
    tally = evaluate(tmp_path)["text/html"]
    assert (tally.files, tally.cells, tally.exact, tally.flagged, tally.wrong) == (1, len(case.truth), len(case.truth), 0, 0)


def test_a_wrong_certain_cell_is_reported_and_fails_the_command(tmp_path: Path, capsys) -> None:
    case = html_cases()[0]
    (tmp_path / "page.html").write_bytes(case.content)
    truth = dict(case.truth)
    key = next(k for k, v in truth.items() if k.startswith("T3.") and v not in (None, "0"))
    truth[key] = str(int(truth[key]) + 1)          # the truth now disagrees with the printed value
    _truth_file(tmp_path, "page", truth)
    assert main(["eval", str(tmp_path)]) == 1
    output = capsys.readouterr().out
    assert "| text/html | 1 |" in output and f"wrong: page.html {key}" in output
