"""The index directory on disk: its generations, the CURRENT pointer, the writer lock.

Layout::

    index/
      CURRENT                 "gen-000003"   (written to a temp file, fsynced, renamed)
      gen-000003/             the live generation (``generation.Generation``)
      gen-000002/             the previous one, kept for rollback until the next success
      gen-000004.tmp/         a rebuild in progress, never visible to readers
      writer.lock             briefsearch's writer lock (POSIX record lock), body: pid, host, since, command

Nothing here knows the engine.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import time
from pathlib import Path

from briefsearch.durable import fsync_dir, fsync_tree, write_atomic
from briefsearch.errors import CorruptIndex, DiskFull, IndexBusy, NoIndex
from briefsearch.indexing.generation import Generation

CURRENT_NAME = "CURRENT"
LOCK_NAME = "writer.lock"
_GEN_RE = re.compile(r"^gen-(\d{6})$")


class IndexDir:
    """One index directory: find the live generation, start new ones, switch between them."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._pointer: tuple | None = None  # (identity of CURRENT, its generation): read again only when replaced

    # --- reading -----------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.root / CURRENT_NAME).is_file()

    def current(self) -> Path:
        """The live generation directory; NoIndex when there is none."""
        try:
            st = os.stat(self.root / CURRENT_NAME)
            identity = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self._pointer is not None and self._pointer[0] == identity and self._pointer[1].is_dir():
                return self._pointer[1]  # CURRENT is replaced (a new inode), never rewritten in place
            raw = (self.root / CURRENT_NAME).read_bytes()
        except FileNotFoundError:
            self.check_path()
            raise NoIndex(f"No index at {self.display()} — run: briefsearch index") from None
        except OSError as error:
            self.check_path()  # a path that cannot be an index folder is named as such, not as damage
            raise CorruptIndex(f"Cannot read {self.root / CURRENT_NAME} ({error.strerror}) — run: briefsearch index --rebuild") from None
        try:
            name = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise CorruptIndex(f"The index pointer {self.root / CURRENT_NAME} is not readable text — run: briefsearch index --rebuild") from None
        if not _GEN_RE.match(name) or not (self.root / name).is_dir():
            raise CorruptIndex(f"The index pointer {self.root / CURRENT_NAME} names a missing generation ({name!r}) — run: briefsearch index --rebuild")
        self._pointer = (identity, self.root / name)
        return self.root / name

    def check_path(self) -> None:
        """NoIndex naming the problem when the index path cannot be an index folder at all (a file,
        a name the system refuses): that is a wrong path, not a damaged index."""
        try:
            info = os.stat(self.root)
        except FileNotFoundError:
            return
        except OSError as error:
            if error.errno in (errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP):
                raise NoIndex(f"The index path {self.root} cannot be used ({error.strerror}) — pass --index DIR") from None
            raise
        if not stat.S_ISDIR(info.st_mode):
            raise NoIndex(f"The index path {self.root} is not a folder — pass --index DIR")

    def live(self) -> Generation:
        """The live generation; NoIndex when there is none."""
        return Generation(self.current(), self.display())

    def display(self) -> str:
        text = str(self.root)
        return text if text.endswith("/") else text + "/"

    def generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and _GEN_RE.match(p.name))

    # --- writing (callers hold the writer lock) ----------------------------------------------

    def new_generation(self) -> Path:
        """Create an empty ``gen-N.tmp`` directory for a full build."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(_GEN_RE.match(p.name).group(1)) for p in self.generations()]
        path = self.root / f"gen-{(max(numbers) + 1 if numbers else 1):06d}.tmp"
        _remove_tree(path)
        path.mkdir()
        return path

    def publish(self, building: Path) -> Path:
        """Make a finished ``gen-N.tmp`` the live generation: fsync, rename, swap CURRENT, prune.

        The previous generation is kept for rollback; older ones are removed.
        """
        fsync_tree(building)
        final = building.with_name(building.name[: -len(".tmp")])
        os.rename(building, final)
        fsync_dir(self.root)
        write_atomic(self.root / CURRENT_NAME, final.name + "\n")
        for old in self.generations()[:-2]:
            if old != final:
                _remove_tree(old)
        return final

    def clean_leftovers(self) -> list[str]:
        """Remove what an interrupted run left behind; return what was removed, for the report."""
        removed: list[str] = []
        if not self.root.is_dir():
            return removed
        live = None
        try:
            live = self.current().name if self.exists() else None
        except Exception:  # a broken pointer is reported by the next reader, not here
            live = None
        for entry in sorted(self.root.iterdir()):
            if entry.name.endswith(".tmp") and entry.is_dir():
                _remove_tree(entry)
                removed.append(f"unfinished build {entry.name}")
            elif entry.name.startswith(CURRENT_NAME + ".tmp"):
                entry.unlink(missing_ok=True)
                removed.append(f"temp pointer {entry.name}")
            elif entry.is_dir() and _GEN_RE.match(entry.name) and live and entry.name > live:
                _remove_tree(entry)  # published dir whose pointer swap never happened
                removed.append(f"unpublished generation {entry.name}")
        return removed


# --- the writer lock -------------------------------------------------------------------------


class WriterLock:
    """briefsearch's single-writer lock: a POSIX record lock (``lockf``) on ``writer.lock``, with the
    holder recorded.

    Not ``flock``: a flock belongs to the open file, which forked worker processes inherit, so
    after the indexer is killed its workers would hold the lock on until they notice (measured:
    the next run refused with exit 75). A record lock belongs to the process alone; it is also
    dropped when the holding process closes any descriptor of the file, so the holder never opens
    ``writer.lock`` a second time.

    Readers never take it. The kernel releases it if the process dies, so it cannot go stale.
    """

    def __init__(self, root: Path, command: str = "briefsearch index"):
        self.path = Path(root) / LOCK_NAME
        self.command = command
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = self._describe_holder()
                    os.close(fd)
                    raise IndexBusy(f"Another briefsearch index run {holder} is writing to {self.path.parent}/ — wait for it, or use --wait SECONDS") from None
                time.sleep(0.1)
        import socket

        body = json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "since": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime()), "command": self.command,
        })
        os.ftruncate(fd, 0)
        os.pwrite(fd, body.encode(), 0)
        self._fd = fd

    def _describe_holder(self) -> str:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return f"(pid {data['pid']} on {data['host']}, since {data['since']})"
        except (OSError, ValueError, KeyError):
            return "(holder unknown)"

    def fileno(self) -> int | None:
        """The descriptor the lock is held on (a forked process must close its copy: the kernel
        keeps the lock while any process holds one)."""
        return self._fd

    def release(self) -> None:
        if self._fd is None:
            return
        import fcntl

        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        fcntl.lockf(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def disk_full(error: OSError, where: Path) -> DiskFull:
    return DiskFull(f"Disk full while writing the index in {where} — the index is unchanged; free some space and run briefsearch index again")


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def _remove_tree(path: Path) -> None:
    """Remove a generation directory and all it holds (shutil imported here: with the bz2 and lzma
    it loads, 2 ms of every cold search, which never removes anything)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
