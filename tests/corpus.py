"""The committed sample corpus (real reports) that tests read: the same files `make run` uses."""
from pathlib import Path

SAMPLE_INBOX = Path(__file__).resolve().parent.parent / "samples" / "inbox"
SEEDS = sorted(SAMPLE_INBOX.glob("00[0-4]_*.txt"))   # the five seed reports (text extractions)
