"""The bundled samples (samples/inbox/): the five seeds and the files benchmarks/make_samples.py generates.

The generated files are regenerated into a temporary folder and compared with the committed ones byte for byte;
the legacy .doc is compared by what the reader makes of it, because its bytes are LibreOffice's Word 97 export
and differ between LibreOffice versions (the same version writes the same bytes).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from corpus import SAMPLE_INBOX, SEEDS, real_report
from gongkai.readers import read_document, sniff
from gongkai.readers.legacy_word import find_soffice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import make_samples  # noqa: E402

COMMITTED = sorted(SAMPLE_INBOX.glob(f"{make_samples.PREFIX}*"))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    make_samples.make_samples(out)
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path: Path) -> list[list[str]]:
    """The text of every row the reader finds, cell by cell."""
    content = path.read_bytes()
    return [[cell.text for cell in row.cells] for row in read_document(content, sniff(content).media_type).rows()]


def test_inbox_holds_only_the_seeds_and_generated_samples() -> None:
    assert len(SEEDS) == 5
    others = {path.name for path in SAMPLE_INBOX.iterdir()} - {path.name for path in SEEDS}
    assert others == {path.name for path in COMMITTED}


def test_no_real_report_is_bundled() -> None:
    corpus = real_report("SOURCES.tsv").parent
    real = {_sha256(path) for path in corpus.iterdir() if path.is_file()}
    assert not [path.name for path in SAMPLE_INBOX.iterdir() if _sha256(path) in real]


def test_the_same_samples_are_generated(regenerated: Path) -> None:
    expected = {path.name for path in COMMITTED if path.suffix != ".doc" or find_soffice() is not None}
    assert {path.name for path in regenerated.iterdir()} == expected


@pytest.mark.parametrize("committed", [path for path in COMMITTED if path.suffix != ".doc"], ids=lambda p: p.name)
def test_regenerated_sample_is_byte_identical(committed: Path, regenerated: Path) -> None:
    assert (regenerated / committed.name).read_bytes() == committed.read_bytes()


@pytest.mark.parametrize("committed", [path for path in COMMITTED if path.suffix == ".doc"], ids=lambda p: p.name)
def test_regenerated_legacy_doc_reads_the_same(committed: Path, regenerated: Path) -> None:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the .doc can be neither generated nor read")
    assert _read(regenerated / committed.name) == _read(committed)
