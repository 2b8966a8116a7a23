"""Generate a hostile inbox: valid reports mixed with corrupt, hostile, oddly named and special files.

    .venv/bin/python tests/hostile_corpus.py OUT_DIR [--seed N]

writes OUT_DIR/inbox and OUT_DIR/outside and prints a summary by category. Tests call
:func:`build_hostile_corpus` and compare a run over the inbox with its manifest (:class:`Entry` list).
Everything is derived from reports generated once per build, so a build takes a few seconds and stays far
below 60 MB. The bytes depend on the seed only (PDFs are written in reportlab's invariant mode, zip members
with a fixed date), except the XXE/XInclude DOCX and ``outside/evil.dtd``, which hold outside's absolute path.

Categories (the prefix of each entry's ``note``):

valid-seed, valid-text, valid-pdf, valid-html, valid-docx, valid-encoding
    intact reports (code "report"): the five committed seed texts, synthetic text reports
    (benchmarks/generate_reports.py), the generated ruled PDFs, the HTML pages of every charset (lying
    metas included), DOCX (deflated, stored, members reordered), seeds re-encoded as UTF-16 LE/BE with
    BOM, UTF-8 with BOM, GB18030, CRLF and CR line ends.
deep-folder, odd-folder, odd-name
    synthetic reports 30 folders deep, in folders with odd names and under names with a newline, a tab,
    quotes, backslashes, a leading dash, spaces, emoji, ANSI escapes, shell syntax, NFC/NFD twins, a
    250-byte name, Chinese names and misleading extensions (code "report").
duplicate, hardlink, symlink-inside
    byte-identical copies in other folders, hard links, and symlinks inside the inbox to inbox files
    (kind "file": the content lands once; a symlink carries its target's code).
pdf-corrupt, pdf-truncated, pdf-bitflip, pdf-encrypted, pdf-structure
    garbage after the header, truncations at many offsets, bit flips, a user-password PDF and an
    owner-password-only one, a page tree claiming /Count 2^31-1, 200,000 kids pointing at one page,
    50,000 real pages, a page tree loop, a reference loop, an xref /Prev loop, image-only pages with huge
    MediaBoxes, a content stream inflating to 256 MiB, junk before the header.
docx-bomb, docx-xml, docx-zip, docx-truncated, docx-bitflip
    a DOCX whose document.xml inflates to 1 GiB of whitespace (honest and lying size headers),
    300,000 table rows, 200,000-deep nesting, billion laughs, XXE and XInclude pointing at
    ``outside/secret.txt``, a parameter entity loading ``outside/evil.dtd``, a zip-slip member name,
    a DOCX without word/document.xml, a plain zip, an XLSX-like zip, truncations and bit flips.
html-structure, html-charset, html-truncated, html-bitflip
    span bombs (colspan/rowspan 999999, which the reader clamps; a grid of 10^9 cells), garbage spans,
    a 300,000-row table, 200,000-deep div and table nesting, metas naming the wrong, an unknown or a
    UTF-16 charset, the page wrapped in ``document.write``, truncations and bit flips.
text-structure, text-encoding, text-empty, text-truncated, text-bitflip
    a 10 MB line, a 200,000-column TSV line, 300,000 TSV rows, NUL bytes inside a report, UTF-16
    without BOM, mixed UTF-8/GBK and invalid bytes, whitespace only, empty files, truncations, bit flips.
binary
    legacy OLE magic followed by garbage (two: LibreOffice takes seconds each), PNG, JPEG, GIF, random.
hidden, lock-file, undecodable-name, symlink-outside, symlink-loop, symlink-dangling, symlink-folder,
special-file, unreadable
    entries that must be skipped unread (kind "skip", ``code`` is the skip code): dot files and dot
    folders (holding reports and a FIFO; only the folder is an entry), Office/WPS/emacs lock files,
    names that are not UTF-8, symlinks leaving the inbox (to ``outside``, /etc/passwd, /dev/zero, /),
    symlink loops, dangling symlinks, symlinks to inbox folders, a FIFO, a socket, a character device
    when mknod is allowed, and a mode-000 file (kind "file", code None when running as root).

``outside`` holds files that links, XXE and XInclude point at: ``secret.txt`` with the sentinel,
a copy of a valid report, a folder and a DTD. Their atimes are set one day before their mtimes, so any
read moves the atime (relatime) and :meth:`HostileCorpus.outside_atimes` shows it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import itertools
import os
import random
import socket
import stat
import struct
import sys
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _folder in (ROOT / "tests", ROOT / "benchmarks"):
    if str(_folder) not in sys.path:
        sys.path.append(str(_folder))

from PIL import Image  # noqa: E402
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

import docx_fixtures  # noqa: E402
import handmade_pdf  # noqa: E402
import html_fixtures  # noqa: E402
import pdf_fixtures  # noqa: E402
from generate_reports import draw_report, render  # noqa: E402

SAMPLES = ROOT / "samples" / "inbox"
MIB = 1 << 20
DAY = 86_400


@dataclass(frozen=True)
class Entry:
    """One thing in the inbox and what a run must make of it."""

    path: bytes  # relative to the inbox, raw bytes
    kind: str  # "file": parsed or quarantined; "skip": never read, listed as skipped with ``code``
    code: str | None  # skip code; or "report", a certain quarantine code, None when either is acceptable
    note: str  # "<category>: <what it is>"

    @property
    def category(self) -> str:
        return self.note.split(":", 1)[0]


@dataclass
class HostileCorpus:
    """The written corpus and its manifest."""

    inbox: Path
    outside: Path  # files links / XXE / includes point at; none may ever be read
    entries: list[Entry]
    valid: list[bytes]  # one inbox path per distinct intact valid report
    sentinel: str  # the unique string in outside/secret.txt
    outside_paths: list[Path] = field(default_factory=list)  # outside and everything in it

    def outside_atimes(self) -> dict[Path, int]:
        """Access time (ns) of everything in ``outside``: lstat only, never listing a folder (that is a read)."""
        return {path: path.lstat().st_atime_ns for path in self.outside_paths}

    def summary(self) -> list[str]:
        """One line per category: count and the expected outcomes."""
        by_category: dict[str, Counter] = {}
        for entry in self.entries:
            by_category.setdefault(entry.category, Counter())[f"{entry.kind}:{entry.code}"] += 1
        return [
            f"{category:18} {sum(outcomes.values()):4}  "
            + ", ".join(f"{outcome} {n}" for outcome, n in sorted(outcomes.items()))
            for category, outcomes in sorted(by_category.items())
        ]


# ---- writing the inbox ------------------------------------------------------------------------------


class _Inbox:
    """Writes files and links below the inbox and records their entries."""

    def __init__(self, inbox: Path) -> None:
        self.root = os.fsencode(inbox)
        self.entries: list[Entry] = []
        self.valid: list[bytes] = []
        self._valid_digests: set[bytes] = set()

    def abs(self, rel: bytes) -> bytes:
        return os.path.join(self.root, rel)

    def write(self, rel: bytes, data: bytes) -> None:
        """Write a file without an entry (content of hidden folders)."""
        full = self.abs(rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(data)

    def file(self, rel: bytes, data: bytes, code: str | None, note: str) -> None:
        self.write(rel, data)
        self.entries.append(Entry(rel, "file", code, note))
        digest = hashlib.sha256(data).digest()
        if code == "report" and digest not in self._valid_digests:
            self._valid_digests.add(digest)
            self.valid.append(rel)

    def link(self, rel: bytes, target: bytes | str, kind: str, code: str | None, note: str) -> None:
        full = self.abs(rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(os.fsencode(target), full)
        self.entries.append(Entry(rel, kind, code, note))

    def skip(self, rel: bytes, code: str, note: str) -> None:
        """Record an entry for something already created."""
        self.entries.append(Entry(rel, "skip", code, note))


@dataclass
class _Sources:
    """Reports generated once; hostile variants are derived from their bytes."""

    seeds: list[tuple[bytes, bytes]]  # (file name, bytes)
    pdfs: dict[str, bytes]  # "<rules>-<close_at_break>" -> PDF
    html: list[html_fixtures.HtmlCase]
    docx: list[tuple[str, bytes]]  # members of the generated DOCX, in order
    texts: Iterator[tuple[str, bytes]]  # fresh synthetic reports

    def text(self) -> tuple[bytes, bytes]:
        name, data = next(self.texts)
        return name.encode(), data


def _synthetic(seed: int) -> Iterator[tuple[str, bytes]]:
    for index in itertools.count():
        report = draw_report(seed, index)
        text, _title = render(report)
        yield report.name, text.encode(report.encoding)


def _sources(seed: int) -> _Sources:
    pdfs = {
        f"{rules}-{close}": pdf_fixtures.fmt2021_report(rules, close).content
        for rules in ("lines", "rects", "boxes")
        for close in (True, False)
    }
    with zipfile.ZipFile(io.BytesIO(docx_fixtures.build_report().content)) as archive:
        docx = [(name, archive.read(name)) for name in archive.namelist()]
    seeds = [(path.name.encode(), path.read_bytes()) for path in sorted(SAMPLES.glob("00[0-4]_*.txt"))]
    return _Sources(seeds, pdfs, html_fixtures.html_cases(), docx, _synthetic(seed))


# ---- zip and deflate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    """A zip member's compressed stream ``head + body * count + tail`` and its header fields."""

    name: str
    head: bytes
    crc: int
    size: int  # uncompressed size written in the headers
    body: bytes = b""
    count: int = 0
    tail: bytes = b""
    method: int = zipfile.ZIP_DEFLATED

    @property
    def compressed_size(self) -> int:
        return len(self.head) + len(self.body) * self.count + len(self.tail)


def _deflated(name: str, data: bytes) -> _Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return _Member(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def _stored(name: str, data: bytes) -> _Member:
    return _Member(name, data, zlib.crc32(data), len(data), method=zipfile.ZIP_STORED)


def _repeated(name: str, head: bytes, chunk: bytes, count: int, tail: bytes) -> _Member:
    """Deflate ``head + chunk * count + tail`` without building it: after a full flush the compressor
    starts afresh, so every copy of ``chunk`` compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    return _Member(name, first, zlib.crc32(tail, crc), len(head) + len(chunk) * count + len(tail), body, count, last)


def _zip(members: list[_Member]) -> bytes:
    """A zip archive of already compressed members (fixed date, UTF-8 names, no zip64)."""
    out = io.BytesIO()
    central = []
    for member in members:
        name = member.name.encode()
        fields = struct.pack(
            "<HHHHHIIIHH",
            20,
            0x800,
            member.method,
            0,
            0x21,
            member.crc,
            member.compressed_size,
            member.size,
            len(name),
            0,
        )
        trailer = struct.pack("<HHHII", 0, 0, 0, 0, out.tell())  # comment, disk, attributes, local header offset
        central.append(struct.pack("<IH", 0x02014B50, 20) + fields + trailer + name)
        out.write(struct.pack("<I", 0x04034B50) + fields + name + member.head)
        for _ in range(member.count):
            out.write(member.body)
        out.write(member.tail)
    start = out.tell()
    directory = b"".join(central)
    out.write(
        directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def _docx(members: list[tuple[str, bytes]], document: bytes | None = None) -> list[_Member]:
    """The DOCX members deflated, word/document.xml replaced by ``document`` when given."""
    return [
        _deflated(name, document if document is not None and name == "word/document.xml" else data)
        for name, data in members
    ]


# ---- small derivations --------------------------------------------------------------------------------


def _bitflip(data: bytes, rng: random.Random, bits: int) -> tuple[bytes, list[int]]:
    flipped = bytearray(data)
    positions = sorted(rng.randrange(len(data)) for _ in range(bits))
    for position in positions:
        flipped[position] ^= 1 << rng.randrange(8)
    return bytes(flipped), positions


def _mutants(
    inbox: _Inbox,
    folder: bytes,
    category: str,
    label: str,
    data: bytes,
    rng: random.Random,
    flips: int,
    cuts: int,
    certain_below: int = 0,
) -> None:
    """``flips`` bit-flipped and ``cuts`` truncated variants; truncations shorter than ``certain_below``
    bytes are certainly ``unreadable_format``."""
    stem = label.encode()
    for number in range(flips):
        flipped, positions = _bitflip(data, rng, bits=(1, 1, 4, 32)[number % 4])
        inbox.file(
            b"%s/flip/%s_%02d" % (folder, stem, number),
            flipped,
            None,
            f"{category}-bitflip: {label} with {len(positions)} bit(s) flipped, first at byte {positions[0]}",
        )
    offsets = {5, 9, 16, 64, len(data) - 1, len(data) - 7}
    while len(offsets) < cuts:
        offsets.add(rng.randrange(65, len(data) - 7))
    for offset in sorted(offsets)[:cuts]:
        code = "unreadable_format" if offset < certain_below else None
        inbox.file(
            b"%s/cut/%s_%06d" % (folder, stem, offset),
            data[:offset],
            code,
            f"{category}-truncated: {label} cut at byte {offset} of {len(data)} ({offset / len(data):.0%})",
        )


def _png(width: int, height: int, red: int) -> bytes:
    image = Image.new("RGB", (width, height), (red, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    image = Image.linear_gradient("L").convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# ---- valid reports and where they live ------------------------------------------------------------------


def _valid(inbox: _Inbox, src: _Sources) -> None:
    for name, data in src.seeds:
        inbox.file(name, data, "report", f"valid-seed: committed seed {name.decode()}")
    for _ in range(6):
        name, data = src.text()
        inbox.file(b"generated/%s.txt" % name, data, "report", f"valid-text: synthetic {name.decode()}")
    for variant, data in list(src.pdfs.items())[:5]:  # the sixth goes under an odd name
        inbox.file(f"pdf/{variant}.pdf".encode(), data, "report", f"valid-pdf: generated ruled PDF ({variant})")
    for case in src.html:
        lying = " with a lying meta" if case.meta_mismatch else ""
        inbox.file(
            f"html/{case.name}.html".encode(),
            case.content,
            "report",
            f"valid-html: generated page in {case.encoding}{lying}",
        )
    members = src.docx
    inbox.file(b"docx/report.docx", _zip(_docx(members)), "report", "valid-docx: generated DOCX")
    inbox.file(
        b"docx/stored.docx",
        _zip([_stored(n, d) for n, d in members]),
        "report",
        "valid-docx: DOCX with stored (uncompressed) members",
    )
    inbox.file(b"docx/reordered.docx", _zip(_docx(members[::-1])), "report", "valid-docx: DOCX with members reversed")
    _encodings(inbox, src)


def _encodings(inbox: _Inbox, src: _Sources) -> None:
    texts = [data.decode("utf-8") for _name, data in src.seeds]
    variants = (
        ("utf16le_bom.txt", b"\xff\xfe" + texts[0].encode("utf-16-le"), "UTF-16 LE with BOM"),
        ("utf16be_bom.txt", b"\xfe\xff" + texts[1].encode("utf-16-be"), "UTF-16 BE with BOM"),
        ("utf8_bom.txt", b"\xef\xbb\xbf" + texts[2].encode("utf-8"), "UTF-8 with BOM"),
        ("gb18030.txt", texts[3].encode("gb18030"), "GB18030"),
        ("crlf.txt", texts[4].replace("\n", "\r\n").encode("utf-8"), "CRLF line ends"),
        ("cr.txt", texts[1].replace("\n", "\r").encode("utf-8"), "CR line ends"),
    )
    for name, data, what in variants:
        inbox.file(b"encodings/" + name.encode(), data, "report", f"valid-encoding: seed report as {what}")


def _places(inbox: _Inbox, src: _Sources) -> None:
    deep = b"/".join(b"d%02d" % depth for depth in range(1, 31))
    for what in ("a", "b"):
        name, data = src.text()
        inbox.file(b"%s/%s_%s.txt" % (deep, what.encode(), name), data, "report", "deep-folder: report 30 folders deep")
    folders = (
        "folder with spaces",
        "文件夹/2023年",
        "-dash-folder",
        "tab\tfolder",
        "new\nline folder",
        "quote'\"folder",
        "emoji📁",
        "back\\slash\\",
        "trailing space ",
        "x" * 200,
        "…",
        "%2e%2e",
    )
    for folder in folders:
        name, data = src.text()
        inbox.file(folder.encode() + b"/" + name + b".txt", data, "report", f"odd-folder: report in {folder[:40]!r}")
    long_name = ("政府信息公开年报" * 11)[:82] + ".txt"  # 250 bytes in UTF-8
    names = (
        "line\nbreak.txt",
        "tab\there.txt",
        "it's.txt",
        'say "hi".txt',
        "back\\slash.txt",
        "-rf.txt",
        "--help.txt",
        "  spaces  around  .txt",
        "trailing space.txt ",
        " ",
        "carriage\rreturn.txt",
        "emoji 📄🔥.txt",
        "ansi \x1b[31mred\x1b[0m.txt",
        "ctrl\x01\x7f.txt",
        "$(touch pwned).txt",
        "a;b|c&d>e.txt",
        "*?[].txt",
        "CON.txt",
        "nul",
        "x:y.txt",
        "file:%2F%2Fetc%2Fpasswd.txt",
        "report\u202etxt.exe",
        long_name,
        "政府信息公开工作年度报告.txt",
        unicodedata.normalize("NFC", "café.txt"),
        unicodedata.normalize("NFD", "café.txt"),
        "no_extension",
        "report.pdf",
        "report.docx",
        "report.html",
    )
    for name in names:
        _stem, data = src.text()
        inbox.file(b"names/" + name.encode(), data, "report", f"odd-name: {name[:60]!r}")
    inbox.file(b"names/pdf_named.txt", src.pdfs["boxes-False"], "report", "odd-name: a PDF named .txt")


def _copies(inbox: _Inbox, src: _Sources) -> None:
    seed_name = src.seeds[0][0]
    copies = (
        (b"dup/a/000 copy.txt", src.seeds[0][1]),
        (b"dup/b/" + src.seeds[1][0], src.seeds[1][1]),
        (b"dup/report.pdf", src.pdfs["lines-True"]),
        (b"dup/page.htm", src.html[0].content),
        (b"dup/copy.docx", _zip(_docx(src.docx))),
        (b"d01/d02/d03/copy.txt", src.seeds[2][1]),
    )
    for rel, data in copies:
        inbox.file(rel, data, "report", "duplicate: byte-identical copy of a valid report")
    for rel, target in (
        (b"hardlinks/000.txt", seed_name),
        (b"hardlinks/report.pdf", b"pdf/lines-True.pdf"),
        (b"hardlinks/report.docx", b"docx/report.docx"),
    ):
        os.makedirs(os.path.dirname(inbox.abs(rel)), exist_ok=True)
        os.link(inbox.abs(target), inbox.abs(rel))
        inbox.entries.append(Entry(rel, "file", "report", f"hardlink: hard link to {target.decode()}"))
    inside = (
        (b"links/seed.txt", b"../" + seed_name, "report", "relative symlink to a seed report"),
        (b"links/abs.pdf", inbox.abs(b"pdf/rects-True.pdf"), "report", "absolute symlink to a PDF in the inbox"),
        (b"links/chain1.txt", b"chain2.txt", "report", "symlink to a symlink to a report"),
        (b"links/chain2.txt", b"../encodings/gb18030.txt", "report", "symlink to a GB18030 report"),
        (b"links/via_dirlink.html", b"../dirlink/../html/utf8_meta.html", "report", "symlink through a folder link"),
        (b"links/image.png", b"../binary/image.png", "no_reader", "symlink to a PNG in the inbox"),
    )
    for rel, target, code, note in inside:
        inbox.link(rel, target, "file", code, f"symlink-inside: {note}")


# ---- hostile PDFs ------------------------------------------------------------------------------------------

_TEXT = handmade_pdf.stream(b"BT /F1 12 Tf 72 720 Td (2023 annual report) Tj ET")
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
)


def _one_page(kids: bytes, count: int, contents: bytes = _TEXT) -> bytes:
    return handmade_pdf.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            _PAGE,
            contents,
            _FONT,
        ]
    )


def _many_pages(n: int) -> bytes:
    """``n`` distinct page objects sharing one content stream (inherited resources and MediaBox)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * n
    return handmade_pdf.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 4 0 R >> >> >>" % (kids, n),
            _TEXT,
            _FONT,
            *pages,
        ]
    )


def _xref_loop() -> bytes:
    """A valid one-page PDF whose trailer's /Prev points back at its own xref section."""
    body = _one_page(b"3 0 R", 1)
    xref = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return body.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % xref)


def _reference_loop() -> bytes:
    """A content stream whose /Length is an indirect reference that resolves to itself through two objects."""
    contents = b"<< /Length 6 0 R >>\nstream\nBT /F1 12 Tf 72 720 Td (loop) Tj ET\nendstream"
    return handmade_pdf.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE,
            contents,
            _FONT,
            b"7 0 R",
            b"6 0 R",
        ]
    )


def _huge_mediabox(side: int) -> bytes:
    """An image-only page ``side`` points square: a 2x2 image scaled over the whole page."""
    draw = handmade_pdf.stream(b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (side, side))
    image = handmade_pdf.stream(
        b"\x00\xff\xff\x00",
        b" /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>"
    )
    return handmade_pdf.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page % (side, side),
            draw,
            image,
        ]
    )


def _flate_bomb_page(mib: int) -> bytes:
    """A page whose content stream inflates to ``mib`` MiB of spaces (zlib header, deflate, adler32)."""
    head, chunk, tail = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n", b" " * MIB, b"\n"
    member = _repeated("", head, chunk, mib, tail)
    adler = zlib.adler32(head)
    for _ in range(mib):
        adler = zlib.adler32(chunk, adler)
    deflated = member.head + member.body * member.count + member.tail
    data = b"\x78\xda" + deflated + struct.pack(">I", zlib.adler32(tail, adler))
    return _one_page(b"3 0 R", 1, handmade_pdf.stream(data, b" /Filter /FlateDecode"))


def _encrypted(encrypt: str | StandardEncryption, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt=encrypt, invariant=True)
    canvas.setFont(pdf_fixtures.FONT, 10)
    for row, line in enumerate(lines[:70]):
        canvas.drawString(40, 800 - 11 * row, line[:60])
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdf_hostile(inbox: _Inbox, src: _Sources, rng: random.Random) -> None:
    base = src.pdfs["lines-True"]
    for number, size in enumerate((200, 4096, 65536)):
        inbox.file(
            b"bad_pdf/garbage_%d.pdf" % number,
            b"%PDF-1.7\n" + rng.randbytes(size),
            "unreadable_format",
            f"pdf-corrupt: header then {size} random bytes",
        )
    inbox.file(
        b"bad_pdf/header_only.pdf", b"%PDF-1.4\n%%EOF\n", "unreadable_format", "pdf-corrupt: header and %%EOF only"
    )
    _mutants(inbox, b"bad_pdf", "pdf", "lines_pdf", base, rng, flips=30, cuts=20, certain_below=65)
    lines = src.seeds[0][1].decode().splitlines()
    inbox.file(
        b"bad_pdf/user_password.pdf",
        _encrypted("secret", lines),
        "unreadable_format",
        "pdf-encrypted: user password 'secret'",
    )
    inbox.file(
        b"bad_pdf/owner_password_only.pdf",
        _encrypted(StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0), lines),
        None,
        "pdf-encrypted: owner password only, copying forbidden (opens without a password)",
    )
    structures = (
        ("count_2e31.pdf", _one_page(b"3 0 R", 2**31 - 1), None, "page tree claims /Count 2147483647 over one page"),
        (
            "kids_200k.pdf",
            _one_page(b" ".join([b"3 0 R"] * 200_000), 200_000),
            None,
            "200,000 kids all pointing at one page object",
        ),
        ("pages_50k.pdf", _many_pages(50_000), "limit_exceeded", "50,000 distinct pages"),
        ("tree_loop.pdf", _one_page(b"2 0 R", 1), None, "page tree whose /Kids contains itself"),
        ("reference_loop.pdf", _reference_loop(), None, "stream /Length referring to a loop of references"),
        ("xref_loop.pdf", _xref_loop(), None, "xref trailer /Prev pointing at itself"),
        ("mediabox_14400.pdf", _huge_mediabox(14_400), None, "image-only page 14400 pt square (200 inches)"),
        ("mediabox_1e7.pdf", _huge_mediabox(10_000_000), None, "image-only page 10,000,000 pt square"),
        ("flate_bomb.pdf", _flate_bomb_page(256), None, "content stream inflating to 256 MiB"),
        ("junk_before_header.pdf", b"\r\n\t junk line\n" + base, None, "junk line before %PDF-"),
    )
    for name, data, code, note in structures:
        inbox.file(b"bad_pdf/" + name.encode(), data, code, f"pdf-structure: {note}")


# ---- hostile DOCX and zips -----------------------------------------------------------------------------------

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _with_doctype(document: bytes, doctype: bytes, reference: bytes) -> bytes:
    """document.xml with a DOCTYPE after the XML declaration and ``reference`` inside the first text run."""
    declaration, rest = document.split(b"\n", 1)
    rest = rest.replace(b"<w:t>", b"<w:t>" + reference, 1)
    return declaration.replace(b"standalone='yes'", b"standalone='no'") + b"\n" + doctype + b"\n" + rest


def _body_member(head: bytes, chunk: bytes, count: int, tail: bytes) -> _Member:
    prolog = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>' % _W
    return _repeated("word/document.xml", prolog + head, chunk, count, tail + b"</w:body></w:document>")


def _replace_member(members: list[tuple[str, bytes]], member: _Member) -> list[_Member]:
    return [member if name == member.name else _deflated(name, data) for name, data in members]


def _docx_hostile(inbox: _Inbox, src: _Sources, rng: random.Random, outside: Path) -> None:
    members = src.docx
    document = dict(members)["word/document.xml"]
    secret = (outside / "secret.txt").resolve().as_uri().encode()
    bomb = _body_member(b"<w:p><w:r><w:t>", b" " * MIB, 1024, b"</w:t></w:r></w:p>")
    zips = (
        (
            "bomb_1gib.docx",
            _zip(_replace_member(members, bomb)),
            "limit_exceeded",
            "docx-bomb",
            "document.xml inflates to 1 GiB of whitespace",
        ),
        (
            "bomb_lying_size.docx",
            _zip(_replace_member(members, replace(bomb, size=4096))),
            None,
            "docx-bomb",
            "document.xml inflates to 1 GiB but its headers claim 4096 bytes",
        ),
        (
            "rows_300k.docx",
            _zip(
                _replace_member(
                    members,
                    _body_member(
                        b"<w:tbl>",
                        b"<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>" * 1000,
                        300,
                        b"</w:tbl>",
                    ),
                )
            ),
            "limit_exceeded",
            "docx-bomb",
            "a table of 300,000 rows",
        ),
        (
            "nested_200k.docx",
            _zip(
                _replace_member(
                    members,
                    _body_member(
                        b"", b"<w:tbl><w:tr><w:tc>" * 1000, 200, b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 200_000
                    ),
                )
            ),
            None,
            "docx-bomb",
            "tables nested 200,000 deep",
        ),
        (
            "billion_laughs.docx",
            _zip(_docx(members, _with_doctype(document, _LAUGHS, b"&lol9;"))),
            None,
            "docx-xml",
            "billion laughs entity expansion in document.xml",
        ),
        (
            "xxe.docx",
            _zip(
                _docx(
                    members,
                    _with_doctype(document, b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "%s">]>' % secret, b"&xxe;"),
                )
            ),
            None,
            "docx-xml",
            "XXE: external entity file:// outside/secret.txt",
        ),
        (
            "xxe_parameter.docx",
            _zip(
                _docx(
                    members,
                    _with_doctype(
                        document,
                        b'<!DOCTYPE w:document [<!ENTITY %% ext SYSTEM "%s"> %%ext;]>'
                        % (outside / "evil.dtd").resolve().as_uri().encode(),
                        b"&leak;",
                    ),
                )
            ),
            None,
            "docx-xml",
            "XXE: parameter entity loading outside/evil.dtd",
        ),
        (
            "xinclude.docx",
            _zip(
                _docx(
                    members,
                    document.replace(
                        b"<w:body>",
                        b'<w:body><w:p xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="%s" parse="text"/>'
                        b"</w:p>" % secret,
                        1,
                    ),
                )
            ),
            None,
            "docx-xml",
            "XInclude of outside/secret.txt",
        ),
        (
            "zip_slip.docx",
            _zip(_docx(members) + [_deflated("../../outside/slip.txt", b"zip slip\n")]),
            None,
            "docx-zip",
            "extra member named ../../outside/slip.txt",
        ),
        (
            "no_document.docx",
            _zip([_deflated(n, d) for n, d in members if n != "word/document.xml"]),
            None,
            "docx-zip",
            "DOCX without word/document.xml",
        ),
        (
            "plain.zip",
            _zip([_deflated("report.txt", src.seeds[0][1]), _deflated("notes/readme.txt", b"hello\n")]),
            "no_reader",
            "docx-zip",
            "plain zip holding a text report",
        ),
        ("sheet.xlsx", _xlsx_like(), "no_reader", "docx-zip", "XLSX-like zip"),
    )
    for name, data, code, category, note in zips:
        inbox.file(b"bad_docx/" + name.encode(), data, code, f"{category}: {note}")
    _mutants(inbox, b"bad_docx", "docx", "report_docx", _zip(_docx(members)), rng, flips=16, cuts=8)


_LAUGHS = (
    b'<!DOCTYPE w:document [\n<!ENTITY lol0 "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10))
    + b"]>"
)


def _xlsx_like() -> bytes:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet.main+xml"/></Types>'
    )
    return _zip(
        [
            _deflated("[Content_Types].xml", types),
            _deflated("xl/workbook.xml", b"<workbook><sheets><sheet sheetId='1'/></sheets></workbook>"),
            _deflated("xl/worksheets/sheet1.xml", b"<worksheet><sheetData/></worksheet>"),
        ]
    )


# ---- hostile HTML ------------------------------------------------------------------------------------------


def _html_hostile(inbox: _Inbox, src: _Sources, rng: random.Random) -> None:
    page = src.html[0].content  # UTF-8 with a correct meta

    def with_table(table: bytes) -> bytes:
        return page.replace(b"</body>", table + b"</body>", 1)

    structures = (
        (
            "span_bomb.html",
            with_table(b"<table><tr><td colspan=999999 rowspan=999999>x</td></tr></table>"),
            None,
            "a cell with colspan and rowspan 999999 (the reader clamps spans)",
        ),
        (
            "colspan_bomb.html",
            with_table(b"<table><tr><td colspan=999999>x</td></tr><tr><td>y</td></tr></table>"),
            None,
            "a cell with colspan 999999 (the reader clamps spans)",
        ),
        (
            "rowspan_bomb.html",
            with_table(b"<table><tr><td rowspan=999999>x</td><td>y</td></tr></table>"),
            None,
            "a cell with rowspan 999999 (the reader clamps spans)",
        ),
        (
            "grid_bomb.html",
            with_table(b"<table><tr>" + b"<td colspan=1000 rowspan=1000>x" * 1000 + b"<tr>" * 999 + b"</table>"),
            "limit_exceeded",
            "1000 rows under 1000 cells of colspan and rowspan 1000: a grid of 10^9 cells",
        ),
        (
            "garbage_spans.html",
            with_table(
                b"<table><tr><td colspan=-5 rowspan=0>a</td><td colspan=1e9>b</td>"
                b"<td colspan=abc rowspan=\xef\xbc\x99\xef\xbc\x99>c</td></tr></table>"
            ),
            None,
            "negative, zero, exponent, text and full-width spans",
        ),
        (
            "rows_300k.html",
            with_table(b"<table>" + b"<tr><td>1<td>2" * 300_000 + b"</table>"),
            "limit_exceeded",
            "a table of 300,000 rows",
        ),
        (
            "divs_200k.html",
            with_table(b"<div>" * 200_000 + b"deep" + b"</div>" * 200_000),
            None,
            "divs nested 200,000 deep (the HTML parser stops nesting at 256)",
        ),
        (
            "tables_200k.html",
            with_table(b"<table><tr><td>" * 200_000 + b"deep"),
            None,
            "tables nested 200,000 deep, never closed",
        ),
        (
            "js_wrapped.js",
            b"document.write(%s);\n" % repr(page.decode()).encode(),
            None,
            "the report page inside a JavaScript document.write string",
        ),
    )
    for name, data, code, note in structures:
        inbox.file(b"bad_html/" + name.encode(), data, code, f"html-structure: {note}")
    metas = (
        ("utf8_meta_gbk.html", b"charset=gbk", "UTF-8 bytes, meta says gbk"),
        ("utf8_meta_unknown.html", b"charset=x-evil-1", "meta names an unknown charset"),
        ("utf8_meta_utf16.html", b"charset=utf-16", "UTF-8 bytes, meta says utf-16"),
    )
    for name, meta, note in metas:
        inbox.file(b"bad_html/" + name.encode(), page.replace(b"charset=utf-8", meta, 1), None, f"html-charset: {note}")
    _mutants(inbox, b"bad_html", "html", "gbk_html", src.html[2].content, rng, flips=16, cuts=6)


# ---- hostile text -------------------------------------------------------------------------------------------


def _text_hostile(inbox: _Inbox, src: _Sources, rng: random.Random) -> None:
    seed = src.seeds[0][1]
    text = seed.decode()
    with_nuls = bytearray(seed)
    for position in sorted(rng.sample(range(len(seed)), 5), reverse=True):
        with_nuls[position:position] = b"\x00"
    half = len(text) // 2
    title = text.splitlines()[2].encode()
    files = (
        (
            "one_line_10mb.txt",
            "政府信息公开".encode() * (10 * MIB // 18),
            "limit_exceeded",
            "text-structure",
            "a 10 MiB line without a line break",
        ),
        (
            "columns_200k.tsv",
            title + b"\n" + b"\t".join(b"%d" % (i % 10) for i in range(200_000)),
            "limit_exceeded",
            "text-structure",
            "a tab-separated line of 200,000 columns",
        ),
        ("rows_300k.tsv", b"1\t2\t3\n" * 300_000, "limit_exceeded", "text-structure", "300,000 tab-separated rows"),
        ("nuls.txt", bytes(with_nuls), None, "text-encoding", "seed report with 5 NUL bytes inserted"),
        ("utf16le_no_bom.txt", text.encode("utf-16-le"), None, "text-encoding", "seed report in UTF-16 LE without BOM"),
        (
            "mixed_utf8_gbk.txt",
            text[:half].encode() + text[half:].encode("gbk", errors="replace"),
            None,
            "text-encoding",
            "first half UTF-8, second half GBK",
        ),
        (
            "invalid_bytes.txt",
            _sprinkle(seed, rng, b"\xff\xfe\x80\xc0"),
            None,
            "text-encoding",
            "seed report with invalid bytes sprinkled in",
        ),
        (
            "whitespace.txt",
            b" \t\r\n\xe3\x80\x80" * 2000,
            None,
            "text-empty",
            "only whitespace (ideographic spaces too)",
        ),
        ("empty.txt", b"", None, "text-empty", "empty file"),
        ("empty.pdf", b"", None, "text-empty", "empty file named .pdf"),
        ("d/empty.docx", b"", None, "text-empty", "empty file named .docx"),
    )
    for name, data, code, category, note in files:
        inbox.file(b"bad_text/" + name.encode(), data, code, f"{category}: {note}")
    _mutants(inbox, b"bad_text", "text", "seed_000", seed, rng, flips=28, cuts=8)
    _name, data = src.text()
    _mutants(inbox, b"bad_text", "text", "synthetic", data, rng, flips=12, cuts=4)


def _sprinkle(data: bytes, rng: random.Random, junk: bytes) -> bytes:
    out = bytearray(data)
    for position in sorted(rng.sample(range(len(data)), 12), reverse=True):
        out[position:position] = junk[: rng.randrange(1, len(junk) + 1)]
    return bytes(out)


def _binary(inbox: _Inbox, rng: random.Random) -> None:
    ole_magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ole_header = ole_magic + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(10)
    files = (
        ("legacy.doc", ole_magic + rng.randbytes(8192), None, "OLE magic then random bytes"),
        ("legacy_header.wps", ole_header + rng.randbytes(4096), None, "OLE header then random bytes"),
        ("image.png", _png(300, 200, 1), "no_reader", "PNG image"),
        ("scan.pdf.png", _png(64, 64, 2), "no_reader", "PNG image named .pdf.png"),
        ("photo.jpg", _jpeg(), "no_reader", "JPEG image"),
        ("anim.gif", b"GIF89a" + rng.randbytes(512), "no_reader", "GIF header then random bytes"),
        ("random.bin", b"\xff" + rng.randbytes(16384), "no_reader", "random bytes"),
        ("random.txt", b"\xff\x00" + rng.randbytes(2048), "no_reader", "random bytes named .txt"),
    )
    for name, data, code, note in files:
        inbox.file(b"binary/" + name.encode(), data, code, f"binary: {note}")


# ---- entries to skip ----------------------------------------------------------------------------------------


def _skipped_names(inbox: _Inbox, src: _Sources) -> None:
    report = src.seeds[3][1]
    for rel in (
        b".hidden_report.txt",
        b".DS_Store",
        b"pdf/._lines-True.pdf",
        b"docx/.~lock.report.docx#",
        b"generated/.report.txt.swp",
    ):
        inbox.write(rel, report)
        inbox.skip(rel, "hidden", f"hidden: dot file {rel.decode()!r}")
    for rel in (b".git/config", b".git/objects/ab/cdef0123", b"html/.cache/page.html", b"html/.cache/deep/more.txt"):
        inbox.write(rel, report)
    os.mkfifo(inbox.abs(b"html/.cache/pipe"))
    inbox.skip(b".git", "hidden", "hidden: dot folder holding files")
    inbox.skip(b"html/.cache", "hidden", "hidden: dot folder holding reports and a FIFO")
    locks = (
        (b"~$report.docx", b"\x0bWang Xiaoming" + bytes(149)),
        ("docx/~$年报.docx".encode(), bytes(162)),
        (b"~WRL0001.tmp", _zip(_docx(src.docx))),
        (b"#report.txt#", report),
    )
    for rel, data in locks:
        inbox.write(rel, data)
        inbox.skip(rel, "lock_file", f"lock-file: {os.fsdecode(rel)!r}")
    names = (
        "年度报告.txt".encode("gbk"),
        b"\xff\xfe.txt",
        b"caf\xe9.txt",
        b"\xc0\xaf.txt",
        b"generated/\xed\xa0\x80.txt",
    )
    for rel in names:
        inbox.write(rel, report)
        inbox.skip(rel, "undecodable_name", f"undecodable-name: {rel!r}")


def _links(inbox: _Inbox, outside: Path) -> None:
    out = outside.resolve()
    outside_targets = (
        (b"links/secret.txt", out / "secret.txt", "absolute symlink to outside/secret.txt"),
        (b"links/secret_rel.txt", "../../outside/secret.txt", "relative symlink to outside/secret.txt"),
        (b"links/escape.txt", "../html/../../outside/secret.txt", "relative symlink escaping through .."),
        (b"links/outside_report.txt", out / "report.txt", "symlink to an outside copy of a valid report"),
        (b"links/outside_folder", out / "folder", "symlink to an outside folder"),
        (b"links/passwd", "/etc/passwd", "symlink to /etc/passwd"),
        (b"links/zero.txt", "/dev/zero", "symlink to /dev/zero"),
        (b"links/root", "/", "symlink to /"),
        (b"inbox_parent", "..", "symlink to the inbox's parent folder"),
    )
    for rel, target, note in outside_targets:
        inbox.link(rel, str(target), "skip", "symlink_outside", f"symlink-outside: {note}")
    loops = (
        (b"loops/a", "b", "a -> b"),
        (b"loops/b", "a", "b -> a"),
        (b"loops/self", "self", "self link"),
        (b"loops/x", "y", "x -> y -> z -> x"),
        (b"loops/y", "z", "y -> z -> x -> y"),
        (b"loops/z", "x", "z -> x -> y -> z"),
        (b"loops/dirloop", "dirloop/sub", "link to a path through itself"),
    )
    for rel, target, note in loops:
        inbox.link(rel, target, "skip", "symlink_loop", f"symlink-loop: {note}")
    dangling = (
        (b"links/missing.txt", "does-not-exist.txt", "relative symlink to a missing file"),
        (b"links/missing_abs.pdf", inbox.abs(b"pdf/missing.pdf"), "absolute symlink to a missing inbox file"),
        (b"links/missing_deep.txt", "../generated/nope/nope.txt", "symlink into a missing folder"),
    )
    for rel, target, note in dangling:
        inbox.link(rel, target, "skip", "symlink_dangling", f"symlink-dangling: {note}")
    folders = (
        (b"dirlink", "generated", "relative symlink to a folder"),
        (b"d01/d02/d03/d04/d05/up", "..", "symlink to its parent folder"),
        (b"links/abs_dir", inbox.abs(b"html"), "absolute symlink to a folder"),
    )
    for rel, target, note in folders:
        inbox.link(rel, target, "skip", "symlink_folder", f"symlink-folder: {note}")


def _special(inbox: _Inbox, src: _Sources) -> None:
    os.makedirs(inbox.abs(b"special"), exist_ok=True)
    os.mkfifo(inbox.abs(b"special/pipe.txt"))
    inbox.skip(b"special/pipe.txt", "not_regular", "special-file: FIFO named .txt")
    folder = os.open(inbox.abs(b"special"), os.O_PATH)
    try:
        with socket.socket(socket.AF_UNIX) as server:  # bound through /proc so long paths stay under 108 bytes
            server.bind(f"/proc/self/fd/{folder}/socket.pdf")
    finally:
        os.close(folder)
    inbox.skip(b"special/socket.pdf", "not_regular", "special-file: unix socket named .pdf")
    with contextlib.suppress(OSError):
        os.mknod(inbox.abs(b"special/zero.txt"), stat.S_IFCHR | 0o600, os.makedev(1, 5))
        inbox.skip(b"special/zero.txt", "not_regular", "special-file: character device (like /dev/zero)")
    _name, data = src.text()
    inbox.write(b"special/mode000.txt", data)
    os.chmod(inbox.abs(b"special/mode000.txt"), 0)
    if os.geteuid() == 0:
        inbox.entries.append(Entry(b"special/mode000.txt", "file", None, "unreadable: mode 000, readable as root"))
    else:
        inbox.skip(b"special/mode000.txt", "unreadable", "unreadable: mode 000")


# ---- outside --------------------------------------------------------------------------------------------


def _outside(outside: Path, sentinel: str, report: bytes) -> None:
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"{sentinel}\n", encoding="utf-8")
    (outside / "report.txt").write_bytes(report)
    (outside / "folder" / "report.txt").write_bytes(report)
    (outside / "evil.dtd").write_text(
        f'<!ENTITY leak SYSTEM "{(outside / "secret.txt").resolve().as_uri()}">\n', encoding="utf-8"
    )


def _age_atimes(outside: Path) -> list[Path]:
    """Set the atime of ``outside`` and everything in it one day before its mtime; returns those paths."""
    paths = [outside, *sorted(outside.rglob("*"))]
    for path in paths:
        mtime = path.lstat().st_mtime_ns
        os.utime(path, ns=(mtime - DAY * 10**9, mtime))
    return paths


# ---- building ----------------------------------------------------------------------------------------------


def build_hostile_corpus(root: Path, *, seed: int = 0) -> HostileCorpus:
    """Write ``root/inbox`` and ``root/outside`` and return the manifest."""
    inbox_dir, outside = Path(root) / "inbox", Path(root) / "outside"
    inbox_dir.mkdir(parents=True)
    sentinel = f"GONGKAI-OUTSIDE-SENTINEL-{hashlib.sha256(f'sentinel:{seed}'.encode()).hexdigest()[:16]}"
    src = _sources(seed)
    rng = random.Random(f"hostile:{seed}")
    _outside(outside, sentinel, src.seeds[0][1])
    inbox = _Inbox(inbox_dir)
    _valid(inbox, src)
    _places(inbox, src)
    _binary(inbox, rng)
    _copies(inbox, src)
    _pdf_hostile(inbox, src, rng)
    _docx_hostile(inbox, src, rng, outside)
    _html_hostile(inbox, src, rng)
    _text_hostile(inbox, src, rng)
    _skipped_names(inbox, src)
    _links(inbox, outside)
    _special(inbox, src)
    outside_paths = _age_atimes(outside)
    return HostileCorpus(inbox_dir, outside, inbox.entries, inbox.valid, sentinel, outside_paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to create inbox/ and outside/ in")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    corpus = build_hostile_corpus(args.out_dir, seed=args.seed)
    elapsed = time.perf_counter() - began
    size = sum(
        os.lstat(os.path.join(folder, name)).st_size
        for folder, _dirs, names in os.walk(os.fsencode(args.out_dir))
        for name in names
    )
    print("\n".join(corpus.summary()))
    print(
        f"{len(corpus.entries)} entries ({len(corpus.valid)} distinct valid reports), {size / 1e6:.1f} MB, "
        f"built in {elapsed:.1f} s; sentinel {corpus.sentinel}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
