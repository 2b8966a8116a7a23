"""Build an accuracy set: report files in every format with a truth file each, for ``gongkai eval``.

    .venv/bin/python benchmarks/build_eval_set.py OUT_DIR [--text N] [--scans]
    .venv/bin/gongkai eval OUT_DIR

Formats: generated HTML pages (UTF-8/GBK/GB2312/GB18030, right, wrong and missing meta charset),
generated ruled PDFs (three ways of drawing rules), generated DOCX (2021 and 2019 formats) and the
same converted to legacy .doc with LibreOffice, N synthetic text reports, the real text-layer PDF r001,
and with ``--scans`` image-only scans (OCR) of r001 and of the generated PDFs at 200 and 150 dpi, in the
subfolders ``scans200/`` and ``scans150/`` (evaluate each folder on its own). r001 comes from the real corpus
(``REAL_CORPUS`` in tests/corpus.py); when it is absent the set is built without it and a note says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import docx_fixtures  # noqa: E402
import html_fixtures  # noqa: E402
import pdf_fixtures  # noqa: E402
from generate_reports import generate  # noqa: E402
from gongkai.staging.evaluate import write_truth  # noqa: E402
from make_samples import legacy_doc  # noqa: E402
from test_pdf_reader import R001, _r001_truth  # noqa: E402


def _value(printed: str | None) -> str | None:
    """The value a printed cell stands for ("251000元" -> "251000"; amounts in 元 stay in 元)."""
    return None if printed is None else printed.removesuffix("元")


def _write(out: Path, name: str, content: bytes, truth: dict[str, str | None]) -> None:
    (out / name).write_bytes(content)
    write_truth(out / f"{Path(name).stem}.truth.json", truth)


SCAN_DPIS = (200, 150)  # a clean scan, and an office-quality one


def _scan_of(pdf: bytes, dpi: int = 200) -> bytes:
    """An image-only PDF of every page rendered in grey at ``dpi``: what a scanner produces.

    Below 200 dpi the pages are made office-quality: a little blur, sensor noise and JPEG compression.
    """
    import io

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(dpi)
    images = []
    for page in pdfium.PdfDocument(pdf):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if dpi < 200:
            noisy = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.int16)
            noisy = noisy + rng.normal(0, 12, noisy.shape).astype(np.int16)
            jpeg = io.BytesIO()
            Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(jpeg, format="JPEG", quality=60)
            image = Image.open(io.BytesIO(jpeg.getvalue())).convert("L")
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def cjk_font_installed() -> bool:
    """Whether a CJK font is installed: the generated PDFs do not embed theirs, so without one they render blank."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(listed.strip())


def _write_scans(out: Path, name: str, pdf: bytes, truth: dict[str, str | None]) -> None:
    """Image-only scans of ``pdf`` at every SCAN_DPIS, each in its own ``scans<dpi>/`` folder."""
    for dpi in SCAN_DPIS:
        (out / f"scans{dpi}").mkdir(exist_ok=True)
        _write(out / f"scans{dpi}", name, _scan_of(pdf, dpi), truth)


def build(out: Path, text_reports: int, scans: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    scan_generated = scans and cjk_font_installed()
    if scans and not scan_generated:
        print("note: no CJK font installed (make bench-fonts): the generated PDFs are not scanned", file=sys.stderr)
    for case in html_fixtures.html_cases():
        _write(out, f"html_{case.name}.html", case.content, case.truth)
    for rules, close_at_break in (("lines", True), ("rects", False), ("boxes", True)):
        report = pdf_fixtures.fmt2021_report(rules, close_at_break)
        _write(out, f"pdf_generated_{rules}.pdf", report.content, report.cells)
        if scan_generated:
            _write_scans(out, f"scan_generated_{rules}.pdf", report.content, report.cells)
    for fmt in ("fmt2021", "fmt2019"):
        report = docx_fixtures.build_report(fmt)
        truth = {key: _value(cell.text) for key, cell in report.truth.items()}
        _write(out, f"docx_{fmt}.docx", report.content, truth)
        legacy = legacy_doc(report.content)
        if legacy is not None:
            _write(out, f"doc_{fmt}.doc", legacy, truth)
    if R001.is_file():
        _write(out, R001.name, R001.read_bytes(), _r001_truth())
        if scans:
            _write_scans(out, "scan_r001.pdf", R001.read_bytes(), _r001_truth())
    else:
        print(
            f"note: real report {R001} not found: the set has no real PDF (and no scan of it); "
            "set GONGKAI_REAL_CORPUS to include it",
            file=sys.stderr,
        )
    generate(text_reports, out, seed=11, truth_dir=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--text", type=int, default=200, help="synthetic text reports (default 200)")
    parser.add_argument("--scans", action="store_true", help="also an OCR scan of the real PDF (slow)")
    args = parser.parse_args()
    build(args.out, args.text, args.scans)


if __name__ == "__main__":
    main()
