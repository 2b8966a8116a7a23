"""Per-page cost of staging a text-layer PDF, next to pdfplumber's ``extract_words`` and pypdfium2 (issue 14).

    python benchmarks/bench_pdf_pages.py [--reports 10] [--repeat 5] [--pdf-dir DIR] [--max-ratio 1.2]

Writes ``--reports`` five-page PDFs (or takes every ``*.pdf`` of ``--pdf-dir``): the prose of the reports of
``generate_reports.py`` (fmt2021 ones: their headings and paragraphs) with their tables 二, 三 and 四 drawn as
ruled tables by ``tests/pdf_fixtures.py`` (ruling as lines, thin rectangles or boxes in turn), padded with
paragraphs to five pages. Then, in one process and interleaved file by file so that machine noise falls on all
three alike, it times per page:

* staging: ``gongkai.staging.stage.parse_landed`` (the PDF reader and the parser: what a staging worker does per file);
* ``extract_words``: ``pdfplumber.open`` and ``page.extract_words()`` on every page;
* pdfium: ``pypdfium2`` ``get_textpage().get_text_range()`` on every page;

and the reader's early no-text-layer check (``gongkai.readers.pdf.may_draw_text``, the file opened) on a scanned
page. Prints a markdown table (median of the repeats) and exits 1 when staging costs more than ``--max-ratio``
times ``extract_words``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from itertools import cycle
from pathlib import Path

import pdfplumber
import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import generate_reports  # noqa: E402
import pdf_fixtures  # noqa: E402
from gongkai import keys  # noqa: E402
from gongkai.readers.pdf import may_draw_text  # noqa: E402
from gongkai.readers.sniff import PDF  # noqa: E402
from gongkai.staging.stage import parse_landed  # noqa: E402

PAGES = 5
TEXT_WIDTH = pdf_fixtures.PAGE_WIDTH - 2 * pdf_fixtures.LEFT
RULES = ("lines", "rects", "boxes")
_HEADING = re.compile(r"^[一二三四五六七八]、")


# ---- the PDFs ---------------------------------------------------------------------------------------


def _fmt2021_reports(seed: int) -> Iterator[generate_reports.Report]:
    """The generator's reports in the 2021 format (the one the ruled tables of pdf_fixtures draw)."""
    index = 0
    while True:
        report = generate_reports.draw_report(seed, index)
        if report.fmt == keys.FMT2021:
            yield report
        index += 1


def _cells(report: generate_reports.Report) -> dict[str, str]:
    """The report's table values as pdf_fixtures cell keys ("T3.granted.total" -> "12"); blanks print empty."""
    tables, _printed = generate_reports.truth_tables(report)
    cells = pdf_fixtures.truth_cells()
    for table_id, rows in tables.items():
        for row, cols in rows.items():
            for col, value in cols.items():
                cells[f"{table_id}.{row}.{col}"] = value or ""
    return cells


def _paragraphs(report: generate_reports.Report) -> list[str]:
    """The report's prose paragraphs (its headings and table lines left out)."""
    text, _title = generate_reports.render(report)
    return [
        line.strip()
        for line in text.splitlines()
        if len(line) > 30 and "。" in line and "\t" not in line and not _HEADING.match(line.strip())
    ]


def _write_lines(builder: pdf_fixtures.ReportBuilder, paragraph: str, size: int = 11) -> None:
    scale = pdf_fixtures.FONT_SIZE / size  # wrap() measures at the table font size
    for line in pdf_fixtures.wrap(paragraph, TEXT_WIDTH * scale + 2 * pdf_fixtures.PAD):
        builder.text(line, size)


def five_page_pdf(report: generate_reports.Report, rules: str) -> bytes:
    """The report as a five-page text-layer PDF: title, six sections (tables 二 to 四 ruled), and its paragraphs
    again in section 六 down to the middle of page five."""
    cells = _cells(report)
    tables = (pdf_fixtures.t2_spec(cells), pdf_fixtures.t3_spec(cells), pdf_fixtures.t4_spec(cells))
    paragraphs = _paragraphs(report)
    builder = pdf_fixtures.ReportBuilder(rules, close_at_break=True)
    _write_lines(builder, f"{report.org.publisher}{report.year}年政府信息公开工作年度报告", size=14)
    for number, titles in enumerate(generate_reports.SECTION_TITLES):
        builder.text(f"{generate_reports.CN_NUMERALS[number]}、{titles[0]}")
        if number == 0:
            for paragraph in paragraphs[:-2]:
                _write_lines(builder, paragraph)
        elif number <= len(tables):
            builder.table(tables[number - 1])
        elif number == 4:
            for paragraph in paragraphs[-2:]:
                _write_lines(builder, paragraph)
    for paragraph in cycle(paragraphs):  # up to half of page five
        if builder.page == PAGES and builder.y > (pdf_fixtures.TOP + pdf_fixtures.BOTTOM) / 2:
            break
        _write_lines(builder, paragraph)
    return builder.finish()


def generated_pdfs(n: int, seed: int) -> list[bytes]:
    reports = _fmt2021_reports(seed)
    return [five_page_pdf(next(reports), RULES[i % len(RULES)]) for i in range(n)]


def scanned_page(pdf: bytes) -> bytes:
    """The first page of ``pdf`` as an image-only PDF (what a scanner makes)."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=150 / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=150)
    return buffer.getvalue()


# ---- the timings ------------------------------------------------------------------------------------


def stage(content: bytes) -> None:
    """What a staging worker does with one landed PDF."""
    digest = hashlib.sha256(content).hexdigest()
    staged = parse_landed(
        {
            "file_id": digest,
            "file_name": f"{digest[:12]}.pdf",
            "source_uri": f"bench:{digest}",
            "media_type": PDF,
            "content": content,
        }
    )
    if staged.report is None:
        raise SystemExit(f"the bench PDF was quarantined: {staged.quarantine}")


def extract_words(content: bytes) -> None:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def pdfium_text(content: bytes) -> None:
    pdf = pypdfium2.PdfDocument(content)
    for page in pdf:
        page.get_textpage().get_text_range()


def scan_check(content: bytes) -> None:
    """The reader's decision on the scanned page: no text object, so OCR without pdfminer's pass."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        if may_draw_text(pdf.pages[0]):
            raise SystemExit("the scanned page was not taken for a scan")


def timed(function: Callable[[bytes], None], content: bytes) -> float:
    began = time.process_time()
    function(content)
    return time.process_time() - began


def measure(pdfs: list[bytes], scan: bytes, repeat: int) -> dict[str, list[float]]:
    """ms per page of each method in each repeat, the methods interleaved file by file."""
    methods: dict[str, Callable[[bytes], None]] = {
        "staging (reader + parser)": stage,
        "pdfplumber extract_words": extract_words,
        "pypdfium2 get_text_range": pdfium_text,
    }
    pages = sum(len(pypdfium2.PdfDocument(pdf)) for pdf in pdfs)
    stage(pdfs[0])  # warm-up: imports, the region index
    results: dict[str, list[float]] = {name: [] for name in [*methods, "no-text-layer check (scanned page)"]}
    for _ in range(repeat):
        totals = dict.fromkeys(methods, 0.0)
        for pdf in pdfs:
            for name, function in methods.items():
                totals[name] += timed(function, pdf)
        for name, seconds in totals.items():
            results[name].append(seconds * 1000 / pages)
        results["no-text-layer check (scanned page)"].append(timed(scan_check, scan) * 1000)
    return results


def render(results: dict[str, list[float]], pages: int, repeat: int) -> tuple[str, float]:
    """The markdown table and the staging / extract_words ratio (median over repeats)."""
    words = results["pdfplumber extract_words"]
    lines = [
        f"{pages} pages, median of {repeat} interleaved repeats",
        "",
        "| method | ms/page | × extract_words |",
        "|---|---|---|",
    ]
    for name, values in results.items():
        ratio = statistics.median(v / w for v, w in zip(values, words, strict=True))
        lines.append(f"| {name} | {statistics.median(values):.1f} | {ratio:.2f} |")
    staging = statistics.median(s / w for s, w in zip(results["staging (reader + parser)"], words, strict=True))
    return "\n".join(lines), staging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10, help="generated five-page PDFs (default 10)")
    parser.add_argument("--pdf-dir", type=Path, help="time these PDFs (every *.pdf) instead of generated ones")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-ratio", type=float, default=1.2, help="fail above this staging / extract_words")
    args = parser.parse_args(argv)
    pdfs = (
        [path.read_bytes() for path in sorted(args.pdf_dir.glob("*.pdf"))]
        if args.pdf_dir
        else generated_pdfs(args.reports, args.seed)
    )
    if not pdfs:
        parser.error(f"no PDF in {args.pdf_dir}")
    results = measure(pdfs, scanned_page(pdfs[0]), args.repeat)
    table, ratio = render(results, sum(len(pypdfium2.PdfDocument(pdf)) for pdf in pdfs), args.repeat)
    print(table)
    verdict = "within" if ratio <= args.max_ratio else "ABOVE"
    print(f"\nstaging / extract_words = {ratio:.2f}: {verdict} the target of {args.max_ratio}")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
