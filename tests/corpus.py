"""Report files the tests read: the bundled samples and, outside the repository, the real corpus.

`samples/inbox/` (the default inbox of `make run`) holds the five seed reports and the generated samples
(`benchmarks/make_samples.py`). Real published reports are never committed: tests that need one read it from
the real corpus at run time and skip, with the reason, when it is absent.
"""

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "samples" / "inbox"
SEEDS = sorted(SAMPLE_INBOX.glob("00[0-4]_*.txt"))  # the five seed reports (text extractions)
REAL_CORPUS = Path(os.environ.get("GONGKAI_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def real_report(name: str) -> Path:
    """The real report ``name`` of the real corpus; skips the calling test when the file is not there."""
    path = REAL_CORPUS / name
    if not path.is_file():
        pytest.skip(f"real corpus not available: {path} (set GONGKAI_REAL_CORPUS or put ../shared beside the clone)")
    return path


REAL_TRUTH = REPO / "tests" / "truth" / "real"


def real_truths() -> list[dict]:
    """The hand-labelled truth of every real report (committed; the reports themselves are not)."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(REAL_TRUTH.glob("*.truth.json"))]
