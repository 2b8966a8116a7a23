"""gongkai eval: accuracy by format against truth files, and a failing exit when a certain cell is wrong."""

from __future__ import annotations

from pathlib import Path

from gongkai.cli import main
from gongkai.staging.evaluate import evaluate, write_truth
from html_fixtures import html_cases


def test_every_cell_is_counted_exact_against_a_correct_truth(tmp_path: Path) -> None:
    case = html_cases()[0]
    (tmp_path / "page.html").write_bytes(case.content)
    write_truth(tmp_path / "page.truth.json", case.truth)
    tally = evaluate(tmp_path)["text/html"]
    assert (tally.files, tally.cells, tally.exact, tally.flagged, tally.wrong) == (
        1,
        len(case.truth),
        len(case.truth),
        0,
        0,
    )


def test_a_wrong_certain_cell_is_reported_and_fails_the_command(tmp_path: Path, capsys) -> None:
    case = html_cases()[0]
    (tmp_path / "page.html").write_bytes(case.content)
    truth = dict(case.truth)
    key = next(k for k, v in truth.items() if k.startswith("T3.") and v not in (None, "0"))
    truth[key] = str(int(truth[key]) + 1)  # the truth now disagrees with the printed value
    write_truth(tmp_path / "page.truth.json", truth)
    assert main(["eval", str(tmp_path)]) == 1
    output = capsys.readouterr().out
    assert "| text/html | 1 |" in output and f"wrong: page.html {key}" in output
