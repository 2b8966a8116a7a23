"""Find what an inbox holds: the regular files to land, and every other entry skipped with its reason.

The walk never follows a symbolic link out of the inbox and never reads anything but a regular file:
a FIFO or a link to ``/dev/zero`` would hang a reader, a link to ``/etc/passwd`` would land a system file.
Folders are walked without following links (a link to a folder inside the inbox is walked through its
real path anyway). A link to a regular file inside the inbox lands its target once. Names are handled as
bytes, so a name that is not UTF-8 is reported (with backslash escapes), never a crash.

Every entry ends in exactly one list of :class:`Discovery`: ``new`` (to land), ``oversize`` (to be
quarantined at landing), ``duplicates`` (same bytes as a landed file or an earlier entry, or a link to
one) or ``skipped`` (never read), so the run summary accounts for all of them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_HASH_CHUNK = 1 << 20

# Why an entry was not read: code -> the words an auditor reads.
SKIP_REASONS: dict[str, str] = {
    "hidden": "隐藏文件或文件夹",
    "lock_file": "编辑器或 Office 的临时锁文件",
    "undecodable_name": "文件名不是有效的 UTF-8 编码",
    "symlink_outside": "链接指向收件箱之外",
    "symlink_loop": "循环链接",
    "symlink_dangling": "链接目标不存在",
    "symlink_folder": "链接指向文件夹（该文件夹在收件箱内已直接遍历）",
    "not_regular": "不是普通文件（管道、套接字或设备）",
    "unreadable": "无法读取",
    "changed": "读取期间文件被修改（下次运行再处理）",
}

_LOCK_PREFIXES = (b"~$", b"~WRL", b"~WRD")  # Office owner files and Word temp files


@dataclass(frozen=True)
class Candidate:
    """A regular file to land: where to read it, the name and path it is known by, and its hash."""

    path: Path  # the file to read (a link's target)
    file_id: str  # sha256 of the bytes
    size_bytes: int


@dataclass(frozen=True)
class Skipped:
    """An inbox entry that was not read, shown by its escaped path relative to the inbox."""

    path: str
    code: str  # a key of SKIP_REASONS
    detail: str = ""  # e.g. "FIFO", "-> /etc/passwd", "Permission denied"

    @property
    def reason(self) -> str:
        """The auditor's words for the code, with the detail."""
        label = SKIP_REASONS[self.code]
        return f"{label}：{self.detail}" if self.detail else label


@dataclass
class Discovery:
    """What the inbox holds relative to the lake."""

    new: list[Candidate] = field(default_factory=list)
    oversize: list[Candidate] = field(default_factory=list)  # over the landing size limit
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def seen(self) -> int:
        """Every entry accounted for (folders that were walked are not entries)."""
        return len(self.new) + len(self.oversize) + len(self.duplicates) + len(self.skipped)


def display_path(raw: bytes) -> str:
    """A path as people can read it safely: UTF-8 with undecodable bytes and control characters escaped."""
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(_escape(char) for char in text)


def display_name(name: str) -> str:
    """A path or name held as ``str`` (undecodable bytes as surrogates), shown as :func:`display_path` shows it."""
    return display_path(os.fsencode(name))


def _escape(char: str) -> str:
    if char == "\\" or unicodedata.category(char)[0] != "C":
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_lock_file(name: bytes) -> bool:
    return name.startswith(_LOCK_PREFIXES) or (len(name) > 2 and name.startswith(b"#") and name.endswith(b"#"))


def file_sha256(path: str | bytes | os.PathLike) -> tuple[str, int]:
    """Hex sha256 and size of a regular file, opened without following a final link and without blocking.

    Raises OSError for anything else (a FIFO, a device, a link swapped in after the walk looked at it).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        digest, size = hashlib.sha256(), 0
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _Walk:
    """One walk of an inbox: the lists of a :class:`Discovery` filled in stable (sorted) order."""

    def __init__(self, inbox: Path, known: set[str], max_file_size: int) -> None:
        self.root = os.fsencode(os.path.realpath(inbox))
        self.known = known
        self.max_file_size = max_file_size
        self.found = Discovery()
        self.landing: dict[str, str] = {}  # file_id -> display path of the entry that lands it
        self.targets: dict[bytes, str] = {}  # real path of a file already taken -> its display path

    def run(self) -> Discovery:
        folders = [self.root]
        visited: set[tuple[int, int]] = set()
        while folders:
            folder = folders.pop()
            try:
                info = os.stat(folder, follow_symlinks=False)
                if (info.st_dev, info.st_ino) in visited:
                    continue
                visited.add((info.st_dev, info.st_ino))
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as error:
                self.skip(folder, "unreadable", error.strerror or str(error))
                continue
            subfolders = [entry.path for entry in entries if self.visit(entry)]
            folders.extend(reversed(subfolders))
        return self.found

    def relative(self, path: bytes) -> str:
        return display_path(os.path.relpath(path, self.root))

    def skip(self, path: bytes, code: str, detail: str = "") -> None:
        self.found.skipped.append(Skipped(self.relative(path), code, detail))

    def visit(self, entry: os.DirEntry[bytes]) -> bool:
        """Handle one entry; True when it is a folder to walk."""
        name, path = entry.name, entry.path
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            self.skip(path, "undecodable_name")
            return False
        if name.startswith(b"."):
            self.skip(path, "hidden")
            return False
        try:
            is_link, is_folder = entry.is_symlink(), entry.is_dir(follow_symlinks=False)
        except OSError as error:
            self.skip(path, "unreadable", error.strerror or str(error))
            return False
        if is_folder and not is_link:
            return True
        if _is_lock_file(name):
            self.skip(path, "lock_file")
        elif is_link:
            self.visit_link(path)
        else:
            self.visit_file(path, path)
        return False

    def visit_link(self, link: bytes) -> None:
        target = os.path.realpath(link)
        if os.path.commonpath([self.root, target]) != self.root:
            self.skip(link, "symlink_outside", "-> " + display_path(target))
            return
        try:
            mode = os.stat(link).st_mode
        except OSError as error:
            code = (
                "symlink_loop"
                if error.errno == errno.ELOOP
                else ("symlink_dangling" if error.errno == errno.ENOENT else "unreadable")
            )
            self.skip(link, code, error.strerror or "")
            return
        if stat.S_ISDIR(mode):
            self.skip(link, "symlink_folder", "-> " + self.relative(target))
        else:
            self.visit_file(link, target)

    def visit_file(self, entry: bytes, target: bytes) -> None:
        """A regular file (or a link to one inside the inbox): hash it and sort it into its list."""
        shown = self.relative(entry)
        if target in self.targets:
            self.found.duplicates.append((shown, f"same file as {self.targets[target]}, landed once"))
            return
        try:
            mode = os.stat(target, follow_symlinks=False).st_mode
            if not stat.S_ISREG(mode):
                self.skip(entry, "not_regular", _kind(mode))
                return
            file_id, size = file_sha256(target)
        except OSError as error:
            self.skip(entry, "unreadable", error.strerror or str(error))
            return
        self.targets[target] = shown
        if file_id in self.known:
            self.found.duplicates.append((shown, "already landed (same sha256)"))
        elif file_id in self.landing:
            self.found.duplicates.append((shown, f"same bytes as {self.landing[file_id]} in this run"))
        else:
            self.landing[file_id] = shown
            candidate = Candidate(Path(os.fsdecode(target)), file_id, size)
            (self.found.oversize if size > self.max_file_size else self.found.new).append(candidate)


def _kind(mode: int) -> str:
    """What a non-regular file is, in the words of ``ls``."""
    for test, kind in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return kind
    return f"file type {stat.S_IFMT(mode):o}"


def discover(inbox: Path, known: set[str], max_file_size: int) -> Discovery:
    """Walk ``inbox``: new regular files (by sha256, not in ``known``), oversize ones, duplicates, skipped."""
    return _Walk(inbox, known, max_file_size).run()


# A discovery made by this process for the run it is about to start (the CLI's look for new files, made under the
# lake's lock, which it holds until the run ends), so that the flow does not walk and hash the inbox again.
_handed_over: dict[tuple[str, str, int], Discovery] = {}


def hand_over(inbox: Path, lake_root: Path, max_file_size: int, found: Discovery) -> None:
    """Keep ``found`` for the flow this process runs next on the same inbox, lake and size limit (see take_over)."""
    _handed_over.clear()
    _handed_over[_handover_key(inbox, lake_root, max_file_size)] = found


def take_over(inbox: Path, lake_root: Path, max_file_size: int) -> Discovery | None:
    """The discovery handed over for this inbox, lake and size limit, once; None when there is none."""
    return _handed_over.pop(_handover_key(inbox, lake_root, max_file_size), None)


def _handover_key(inbox: Path, lake_root: Path, max_file_size: int) -> tuple[str, str, int]:
    return str(inbox.resolve()), str(lake_root.resolve()), max_file_size
