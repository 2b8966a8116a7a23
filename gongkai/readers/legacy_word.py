"""Reader for legacy Word (.doc) and Kingsoft WPS files: OLE compound documents, converted to DOCX first.

The converter is LibreOffice headless (Debian ``libreoffice-writer-nogui``), not antiword:
* the report is its tables, and antiword prints text only: a table comes out as lines of cells with its
  grid and merged cells gone, which is exactly the structure the DOCX reader keeps;
* antiword reads Word 2-2003 only; LibreOffice's Word 97 import also opens the Kingsoft WPS files that
  Chinese government sites publish (they are Word 97-style OLE documents), and unreadable OLE files
  (spreadsheets, presentations, damaged files) fail cleanly instead of giving partial text;
* a conversion takes 1-3 s on this 2-core machine, fresh profile included (startup dominates).

Each conversion runs in its own temporary directory with a private LibreOffice profile, so parallel
workers never share a profile lock, and under a timeout that kills the whole process group
(LimitExceeded).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from gongkai.readers.document import Document, LimitExceeded, ReaderError
from gongkai.readers.docx import DocxReader
from gongkai.readers.limits import LIBREOFFICE_SECONDS
from gongkai.readers.sniff import OLE

LOCATOR_PREFIX = "converted from doc: "


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class LegacyWordReader:
    """.doc and .wps via LibreOffice headless, then :class:`DocxReader` (locators say ``converted from doc``)."""

    media_types = (OLE,)

    def __init__(self, soffice: str | None = None, timeout: float = LIBREOFFICE_SECONDS) -> None:
        self.soffice = soffice or find_soffice()
        self.timeout = timeout

    def read(self, content: bytes) -> Document:
        if self.soffice is None or not os.access(self.soffice, os.X_OK):
            raise ReaderError(
                "cannot convert .doc/.wps: LibreOffice (soffice) is not installed (`make system-deps` installs it)"
            )
        document = DocxReader(LOCATOR_PREFIX).read(self.convert(content))
        document.media_type = OLE
        return document

    def convert(self, content: bytes) -> bytes:
        """The DOCX bytes LibreOffice makes of ``content``; ReaderError when it cannot."""
        with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as workdir:
            work = Path(workdir)
            source = work / "source.doc"
            source.write_bytes(content)
            command = [
                str(self.soffice),
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(work / "out"),
                str(source),
            ]
            output = self._run(command)
            converted = work / "out" / "source.docx"
            if not converted.is_file():
                raise ReaderError(f"LibreOffice could not convert this OLE file to DOCX: {output[-300:]}")
            return converted.read_bytes()

    def _run(self, command: list[str]) -> str:
        """Run the converter in its own process group; kill the group on timeout. Returns its output."""
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise LimitExceeded(f"LibreOffice conversion timed out (limit {self.timeout:g} s)") from None
        return output.decode("utf-8", errors="replace").strip()
