"""The hostile corpus generator: its manifest says exactly what is on disk, quickly, small and deterministic."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from pathlib import Path

import pytest

from hostile_corpus import Entry, HostileCorpus, build_hostile_corpus

MAX_SECONDS = 15
MAX_BYTES = 60 * 10**6


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[HostileCorpus, float]:
    root = tmp_path_factory.mktemp("hostile")
    began = time.perf_counter()
    corpus = build_hostile_corpus(root)
    return corpus, time.perf_counter() - began


def _on_disk(inbox: bytes) -> dict[bytes, os.stat_result]:
    """Every entry below the inbox (lstat): folders are walked, not entries, except dot folders and links."""
    found = {}
    for folder, subfolders, names in os.walk(inbox):  # does not descend into linked folders
        for name in subfolders + names:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode) or name.startswith(b"."):
                found[os.path.relpath(path, inbox)] = info
        subfolders[:] = [name for name in subfolders if not name.startswith(b".")]
    return found


def _inside(path: bytes, inbox: bytes) -> bool:
    return os.path.commonpath([os.path.realpath(path), inbox]) == inbox


def _stat_error(path: bytes) -> int | None:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno
    return None


def _is_lock_name(name: bytes) -> bool:
    return name.startswith((b"~$", b"~WRL")) or (name.startswith(b"#") and name.endswith(b"#"))


def _undecodable(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _is_as_claimed(entry: Entry, path: bytes, inbox: bytes) -> bool:
    mode, name = os.lstat(path).st_mode, os.path.basename(path)
    link = stat.S_ISLNK(mode)
    if entry.kind == "file":
        return stat.S_ISREG(mode) or (link and _inside(path, inbox) and stat.S_ISREG(os.stat(path).st_mode))
    checks = {
        "hidden": lambda: name.startswith(b"."),
        "lock_file": lambda: _is_lock_name(name),
        "undecodable_name": lambda: _undecodable(name),
        "symlink_outside": lambda: link and not _inside(path, inbox),
        "symlink_loop": lambda: link and _stat_error(path) == errno.ELOOP,
        "symlink_dangling": lambda: link and _inside(path, inbox) and _stat_error(path) == errno.ENOENT,
        "symlink_folder": lambda: link and _inside(path, inbox) and os.path.isdir(path),
        "not_regular": lambda: not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or link),
        "unreadable": lambda: stat.S_IMODE(mode) == 0,
    }
    return checks[entry.code]()


def _sha256(path: bytes) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_builds_quickly_with_enough_unique_entries(built: tuple[HostileCorpus, float]) -> None:
    corpus, seconds = built
    assert seconds < MAX_SECONDS
    assert len(corpus.entries) >= 250
    assert len({entry.path for entry in corpus.entries}) == len(corpus.entries)
    assert {entry.kind for entry in corpus.entries} == {"file", "skip"}
    assert all(entry.code for entry in corpus.entries if entry.kind == "skip")


def test_manifest_is_exactly_what_is_on_disk(built: tuple[HostileCorpus, float]) -> None:
    corpus, _seconds = built
    atimes = corpus.outside_atimes()
    inbox = os.fsencode(os.path.realpath(corpus.inbox))
    on_disk = _on_disk(inbox)
    assert sorted(on_disk) == sorted(entry.path for entry in corpus.entries)
    wrong = [entry for entry in corpus.entries if not _is_as_claimed(entry, os.path.join(inbox, entry.path), inbox)]
    assert wrong == []
    assert corpus.outside_atimes() == atimes  # checking the inbox read nothing outside it


def test_valid_reports_are_distinct_and_cover_every_report_entry(built: tuple[HostileCorpus, float]) -> None:
    corpus, _seconds = built
    inbox = os.fsencode(corpus.inbox)
    valid = {_sha256(os.path.join(inbox, path)) for path in corpus.valid}
    assert len(valid) == len(corpus.valid) >= 50
    by_path = {entry.path: entry for entry in corpus.entries}
    assert all(by_path[path].code == "report" for path in corpus.valid)
    assert not any(os.path.islink(os.path.join(inbox, path)) for path in corpus.valid)
    reports = [entry.path for entry in corpus.entries if entry.code == "report"]
    assert {_sha256(os.path.join(inbox, path)) for path in reports} == valid


def test_small_on_disk_and_outside_files_look_unread(built: tuple[HostileCorpus, float]) -> None:
    corpus, _seconds = built
    sizes = {
        (info.st_dev, info.st_ino): info.st_size
        for info in _on_disk(os.fsencode(corpus.inbox)).values()
        if stat.S_ISREG(info.st_mode)
    }
    assert sum(sizes.values()) < MAX_BYTES
    assert corpus.sentinel.startswith("GONGKAI-OUTSIDE-SENTINEL-")
    assert corpus.outside / "secret.txt" in corpus.outside_paths
    for path in corpus.outside_paths:
        info = path.lstat()
        assert info.st_atime_ns < info.st_mtime_ns, path  # relatime moves the atime on the next read


def test_same_seed_same_corpus(built: tuple[HostileCorpus, float], tmp_path: Path) -> None:
    corpus, _seconds = built
    again = build_hostile_corpus(tmp_path, seed=0)
    assert again.entries == corpus.entries and again.valid == corpus.valid and again.sentinel == corpus.sentinel
    for entry in corpus.entries:
        first, second = (os.path.join(os.fsencode(c.inbox), entry.path) for c in (corpus, again))
        if entry.kind == "file" and os.access(first, os.R_OK) and "outside/" not in entry.note:
            assert _sha256(first) == _sha256(second), entry
