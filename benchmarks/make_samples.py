"""Write the generated sample reports of ``samples/inbox/`` (the default inbox of ``make run``).

    .venv/bin/python benchmarks/make_samples.py [OUT_DIR]

Every file comes from a generator of this repository, with its truth: ruled-table PDFs (tests/pdf_fixtures.py),
an HTML page (tests/html_fixtures.py), Word documents (tests/docx_fixtures.py, and a Word 97 .doc converted by
LibreOffice when it is installed) and text reports (benchmarks/generate_reports.py). Most tables add up; a few
samples break one rule on purpose, or print a total blank so that its checks are UNCERTAIN. The output is
deterministic: re-running the script rewrites the same bytes (tests/test_samples.py checks it). Files named
``gen_*`` in OUT_DIR are replaced; nothing else there is touched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = ROOT / "samples" / "inbox"
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import docx_fixtures  # noqa: E402
import generate_reports as text_reports  # noqa: E402
import html_fixtures  # noqa: E402
import pdf_fixtures  # noqa: E402
from gongkai import keys  # noqa: E402
from gongkai.readers.legacy_word import find_soffice  # noqa: E402

PREFIX = "gen_"
TEXT_SEED = 0  # generate_reports seed the text samples are drawn from

Truth = dict[str, str | None]  # "T3.granted.total" -> value as printed, None when printed blank


@dataclass(frozen=True)
class Sample:
    """One generated sample file and what a correct parse finds in it."""

    name: str
    content: bytes
    fmt: str  # format_version of the tables
    truth: Truth  # every T2, T3 and T4 cell
    shows: str  # what the sample demonstrates


def legacy_doc(docx: bytes) -> bytes | None:
    """The .docx converted to a Word 97 .doc by LibreOffice, or None when LibreOffice is not installed."""
    soffice = find_soffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "doc",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(tmp) / "report.doc").read_bytes()


# ---- PDF and HTML: the balanced 2021-format report of pdf_fixtures -------------------------------------------


def _pdf_samples() -> Iterator[Sample]:
    report = pdf_fixtures.fmt2021_report("lines", close_at_break=True)
    yield Sample(
        "gen_pdf_fmt2021_2022.pdf",
        report.content,
        keys.FMT2021,
        dict(report.cells),
        "text-layer PDF, ruled tables drawn as lines, table 三 across a page break; every rule passes",
    )
    wrong_total = {"T4.review.total": str(int(report.cells["T4.review.total"]) + 1)}
    report = pdf_fixtures.fmt2021_report("rects", close_at_break=False, printed=wrong_total)
    yield Sample(
        "gen_pdf_t4_mismatch_2022.pdf",
        report.content,
        keys.FMT2021,
        dict(report.cells),
        "rules drawn as thin rectangles, table left open at the page break; "
        "行政复议 总计 is one more than its four results: T4_REVIEW_TOTAL fails",
    )


def _html_sample() -> Sample:
    truth: Truth = {**pdf_fixtures.truth_cells(), "T3.outcome_total.total": None}
    content = html_fixtures.report_page(truth, "gbk").encode("gbk")
    return Sample(
        f"gen_html_gbk_blank_total_{html_fixtures.YEAR}.html",
        content,
        keys.FMT2021,
        truth,
        "GBK page with site chrome and rowspan/colspan tables; the 总计 of （七）总计 is blank (&nbsp;): "
        "every check that reads it is UNCERTAIN, the rest passes",
    )


# ---- Word: docx_fixtures with a balanced table 三 --------------------------------------------------------------


def _balanced_t3(fmt: str) -> dict[str, str]:
    """Table 三 of the PDF report (it balances) in the rows of ``fmt``: 2019 has one （六）其他处理 row."""
    rows = pdf_fixtures.t3_values()
    if fmt == keys.FMT2019:
        rows[keys.OTHER_ROW_2019] = tuple(map(sum, zip(*(rows.pop(row) for row in keys.OTHER_ROWS_2021), strict=True)))
    return {
        f"T3.{row}.{col}": str(value)
        for row, values in rows.items()
        for col, value in zip(keys.T3_COLS, values, strict=True)
    }


def _carried_out_one_too_many(t3: dict[str, str], col: str) -> dict[str, str]:
    """四、结转下年度继续办理 one higher in ``col`` and in its row total: the balance of both columns breaks."""
    return {key: str(int(t3[key]) + 1) for key in (f"T3.carried_out.{col}", "T3.carried_out.total")}


def _word_samples() -> Iterator[Sample]:
    report = docx_fixtures.build_report(keys.FMT2021, printed=_balanced_t3(keys.FMT2021))
    truth = {key: cell.text for key, cell in report.truth.items()}
    shows = "with merged header and label cells; 规章 本年废止件数 is blank: T2_NONNEG is UNCERTAIN, the rest passes"
    yield Sample(f"gen_docx_fmt2021_{report.year}.docx", report.content, keys.FMT2021, truth, f"Word document {shows}")
    legacy = legacy_doc(report.content)
    if legacy is not None:
        yield Sample(
            f"gen_doc_fmt2021_{report.year}.doc",
            legacy,
            keys.FMT2021,
            truth,
            f"the same report saved as a Word 97 .doc by LibreOffice (read through LibreOffice), {shows}",
        )
    t3 = _balanced_t3(keys.FMT2019)
    report = docx_fixtures.build_report(keys.FMT2019, printed=t3 | _carried_out_one_too_many(t3, "natural_person"))
    yield Sample(
        f"gen_docx_fmt2019_unbalanced_{report.year}.docx",
        report.content,
        keys.FMT2019,
        {key: cell.text for key, cell in report.truth.items()},
        "2019-format Word document (（六）其他处理 one row, 第二十条第（九）项 采购); "
        "结转下年度 of 自然人 is one too many: T3_BALANCE fails for 自然人 and 总计",
    )


# ---- text: reports of generate_reports picked by what they show ----------------------------------------------

TextPick = tuple[str, str, Callable[[text_reports.Report], bool]]  # name stem, what it shows, which report

TEXT_PICKS: tuple[TextPick, ...] = (
    (
        "gen_txt_tsv_unbalanced",
        "tab-separated text of a county department whose table 三 does not balance "
        "(generate_reports' deliberate anomaly): T3_BALANCE fails",
        lambda r: (
            r.layout == text_reports.TSV
            and r.org.department is not None
            and [a["rule"] for a in r.anomalies] == ["T3_BALANCE"]
        ),
    ),
    (
        "gen_txt_onecell_fmt2019",
        "2019-format township report exported one cell per line; every rule passes",
        lambda r: r.layout == text_reports.ONE_CELL and r.fmt == keys.FMT2019 and _clean_with_applications(r),
    ),
    (
        "gen_txt_pipe_gb18030",
        "GB18030-encoded 2021-format scraped page, cells split by pipes; every rule passes",
        lambda r: (
            r.layout == text_reports.PIPE
            and r.encoding == "gb18030"
            and r.fmt == keys.FMT2021
            and _clean_with_applications(r)
        ),
    ),
)


def _clean_with_applications(report: text_reports.Report) -> bool:
    """No deliberate anomaly or quirk, and applications in at least two applicant columns."""
    applicants = report.t3["new_received"][:6]
    return not report.anomalies and not report.quirks and sum(1 for n in applicants if n) >= 2


def _text_sample(stem: str, shows: str, wanted: Callable[[text_reports.Report], bool]) -> Sample:
    """The first report of TEXT_SEED that ``wanted`` accepts, printed as generate_reports prints it."""
    report = next(r for r in (text_reports.draw_report(TEXT_SEED, i) for i in count()) if wanted(r))
    text, _title = text_reports.render(report)
    tables, printed = text_reports.truth_tables(report)
    truth = {
        f"{table}.{row}.{col}": value
        for table, rows in tables.items()
        for row, cols in rows.items()
        for col, value in cols.items()
    }
    truth |= {
        f"{table}.{row}.{col}": value
        for table, rows in printed.items()
        for row, cols in rows.items()
        for col, value in cols.items()
    }
    return Sample(f"{stem}_{report.year}.txt", text.encode(report.encoding), report.fmt, truth, shows)


# ---- all of them -----------------------------------------------------------------------------------------------


def samples() -> list[Sample]:
    """Every generated sample, in name order."""
    found = [*_pdf_samples(), _html_sample(), *_word_samples(), *(_text_sample(*pick) for pick in TEXT_PICKS)]
    return sorted(found, key=lambda sample: sample.name)


def make_samples(out_dir: Path = SAMPLE_INBOX) -> list[Path]:
    """Replace the ``gen_*`` files of ``out_dir`` by the generated samples; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{PREFIX}*"):
        stale.unlink()
    written = []
    for sample in samples():
        path = out_dir / sample.name
        path.write_bytes(sample.content)
        written.append(path)
        print(f"{sample.name}: {sample.shows}")
    if find_soffice() is None:
        print("LibreOffice (soffice) is not installed: no legacy .doc sample written", file=sys.stderr)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, nargs="?", default=SAMPLE_INBOX, help="default: samples/inbox")
    make_samples(parser.parse_args().out)


if __name__ == "__main__":
    main()
