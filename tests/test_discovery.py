"""Discovery: only regular files inside the inbox are read; everything else is skipped with its reason."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from pathlib import Path

import pytest

from corpus import SEEDS
from gongkai.ingest.discovery import Discovery, discover, display_path

BIG = 10**9


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, inbox / seed.name)
    return inbox


def _skips(found: Discovery) -> dict[str, str]:
    return {entry.path: entry.code for entry in found.skipped}


def test_links_leaving_the_inbox_are_never_followed(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (inbox / "to_secret.txt").symlink_to(outside / "secret.txt")
    (inbox / "to_outside_folder").symlink_to(outside)
    (inbox / "to_dev_zero").symlink_to("/dev/zero")
    (inbox / "relative_escape").symlink_to("../outside/secret.txt")
    found = discover(inbox, set(), BIG)
    assert _skips(found) == {
        "relative_escape": "symlink_outside",
        "to_dev_zero": "symlink_outside",
        "to_outside_folder": "symlink_outside",
        "to_secret.txt": "symlink_outside",
    }
    assert {entry.detail for entry in found.skipped} >= {"-> /dev/zero", f"-> {outside / 'secret.txt'}"}
    assert len(found.new) == 2


def test_loops_dangling_links_and_links_to_folders_are_skipped(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / "a").symlink_to(inbox / "b")
    (inbox / "b").symlink_to(inbox / "a")
    (inbox / "self").symlink_to("self")
    (inbox / "gone.txt").symlink_to(inbox / "missing.txt")
    sub = inbox / "sub"
    sub.mkdir()
    (sub / "up").symlink_to(inbox)
    found = discover(inbox, set(), BIG)
    assert _skips(found) == {
        "a": "symlink_loop",
        "b": "symlink_loop",
        "self": "symlink_loop",
        "gone.txt": "symlink_dangling",
        "sub/up": "symlink_folder",
    }


def test_a_link_inside_the_inbox_lands_its_target_once(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / "0_link.txt").symlink_to(inbox / SEEDS[0].name)
    found = discover(inbox, set(), BIG)
    assert len(found.new) == 2 and not found.skipped
    landed = {c.path.name for c in found.new}
    assert landed == {SEEDS[0].name, SEEDS[1].name}  # the target's own name, not the link's
    assert found.duplicates == [("0_link.txt", f"same file as {SEEDS[0].name}, landed once")]


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    os.mkfifo(inbox / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inbox / "sock"))
    server.close()
    (inbox / "to_pipe").symlink_to(inbox / "pipe")
    found = discover(inbox, set(), BIG)  # would hang on the FIFO if it were opened for reading
    assert _skips(found) == {"pipe": "not_regular", "sock": "not_regular", "to_pipe": "not_regular"}
    assert {e.path: e.detail for e in found.skipped} == {"pipe": "FIFO", "sock": "socket", "to_pipe": "FIFO"}


def test_hidden_lock_and_undecodable_entries_are_counted_not_read(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    (inbox / ".DS_Store").write_bytes(b"x")
    hidden = inbox / ".git"
    hidden.mkdir()
    (hidden / "report.txt").write_text("inside a hidden folder")
    (inbox / "~$report.docx").write_bytes(b"lock")
    (inbox / "#draft.txt#").write_text("autosave")
    os.close(os.open(os.fsencode(inbox) + b"/\xb1\xa8\xb8\xe6.txt", os.O_CREAT | os.O_WRONLY))  # GBK "报告"
    found = discover(inbox, set(), BIG)
    assert _skips(found) == {
        ".DS_Store": "hidden",
        ".git": "hidden",
        "~$report.docx": "lock_file",
        "#draft.txt#": "lock_file",
        "\\xb1\\xa8\\xb8\\xe6.txt": "undecodable_name",
    }
    assert found.seen == len(found.new) + len(found.skipped) == 7


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file with mode 000")
def test_an_unreadable_file_is_skipped_with_the_os_error(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    locked = inbox / "locked.txt"
    locked.write_text("x")
    locked.chmod(0)
    found = discover(inbox, set(), BIG)
    assert [(e.path, e.code, e.detail) for e in found.skipped] == [("locked.txt", "unreadable", "Permission denied")]


def test_odd_but_valid_names_deep_folders_and_duplicates(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    deep = inbox.joinpath(*[f"d{i}" for i in range(30)])
    deep.mkdir(parents=True)
    content = SEEDS[2].read_bytes()
    for name in ("new\nline.txt", 'it\'s "quoted".txt', "-dash.txt"):
        (deep / name).write_bytes(content)
    found = discover(inbox, set(), BIG)
    assert len(found.new) == 3 and len(found.duplicates) == 2
    assert found.new[-1].file_id == hashlib.sha256(content).hexdigest()
    assert all("\n" not in path for path, _why in found.duplicates)
    assert display_path(b"d0/new\nline.txt") == "d0/new\\x0aline.txt"


def test_known_files_are_duplicates_and_big_ones_oversize(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    known = {hashlib.sha256(SEEDS[0].read_bytes()).hexdigest()}
    found = discover(inbox, known, max_file_size=SEEDS[1].stat().st_size - 1)
    assert found.duplicates == [(SEEDS[0].name, "already landed (same sha256)")]
    assert [c.path.name for c in found.oversize] == [SEEDS[1].name] and not found.new
