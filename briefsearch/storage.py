"""The index directory on disk: generations, the CURRENT pointer, the version stamp, the writer lock.

Layout::

    index/
      CURRENT                 "gen-000003"   (written to a temp file, fsynced, renamed)
      gen-000003/             the live generation: engine files + briefsearch-index.json
      gen-000002/             the previous one, kept for rollback until the next success
      gen-000004.tmp/         a rebuild in progress, never visible to readers
      writer.lock             briefsearch's writer lock (flock), body: pid, host, since, command

Nothing here knows the engine; the engine is handed a generation directory.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from briefsearch.errors import CorruptIndex, DiskFull, IncompatibleIndex, IndexBusy, NoIndex

STAMP_NAME = "briefsearch-index.json"
CURRENT_NAME = "CURRENT"
LOCK_NAME = "writer.lock"
_GEN_RE = re.compile(r"^gen-(\d{6})$")


def fsync_dir(path: Path) -> None:
    """Make a rename or file creation inside ``path`` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    """fsync every file in ``path`` and then the directory itself."""
    for entry in path.iterdir():
        if entry.is_file():
            fd = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(path)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new content, never a mix."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


@dataclass(frozen=True)
class Stamp:
    format_version: int
    schema_fingerprint: str
    briefsearch_version: str
    created: str


class IndexDir:
    """One index directory: find the live generation, start new ones, switch between them."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # --- reading -----------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.root / CURRENT_NAME).is_file()

    def current(self) -> Path:
        """The live generation directory; NoIndex when there is none."""
        try:
            name = (self.root / CURRENT_NAME).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise NoIndex(f"No index at {self.display()} — run: briefsearch index") from None
        except OSError as error:
            raise CorruptIndex(f"Cannot read {self.root / CURRENT_NAME} ({error.strerror}) — run: briefsearch index --rebuild") from None
        if not _GEN_RE.match(name) or not (self.root / name).is_dir():
            raise CorruptIndex(f"The index pointer {self.root / CURRENT_NAME} names a missing generation ({name!r}) — run: briefsearch index --rebuild")
        return self.root / name

    def display(self) -> str:
        text = str(self.root)
        return text if text.endswith("/") else text + "/"

    def check_stamp(self, generation: Path, fingerprint: str, format_version: int) -> Stamp:
        """Read the version stamp before the engine opens anything; refuse incompatible indexes."""
        try:
            data = json.loads((generation / STAMP_NAME).read_text(encoding="utf-8"))
            stamp = Stamp(
                int(data["format_version"]), str(data["schema_fingerprint"]),
                str(data.get("briefsearch_version", "?")), str(data.get("created", "")),
            )
        except FileNotFoundError:
            raise IncompatibleIndex(f"The index at {self.display()} has no version stamp (not made by this briefsearch) — run: briefsearch index --rebuild") from None
        except (ValueError, KeyError, TypeError):
            raise CorruptIndex(f"The version stamp in {generation} is unreadable — run: briefsearch index --rebuild") from None
        if stamp.format_version != format_version or stamp.schema_fingerprint != fingerprint:
            raise IncompatibleIndex(
                f"The index at {self.display()} was built by briefsearch {stamp.briefsearch_version} "
                f"(format {stamp.format_version}), which this version cannot read — run: briefsearch index --rebuild"
            )
        return stamp

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
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir()
        return path

    def write_stamp(self, generation: Path, fingerprint: str, format_version: int, version: str) -> None:
        stamp = {
            "format_version": format_version,
            "schema_fingerprint": fingerprint,
            "briefsearch_version": version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        write_atomic(generation / STAMP_NAME, json.dumps(stamp, indent=2) + "\n")

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
                shutil.rmtree(old, ignore_errors=True)
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
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(f"unfinished build {entry.name}")
            elif entry.name.startswith(CURRENT_NAME + ".tmp"):
                entry.unlink(missing_ok=True)
                removed.append(f"temp pointer {entry.name}")
            elif entry.is_dir() and _GEN_RE.match(entry.name) and live and entry.name > live:
                shutil.rmtree(entry, ignore_errors=True)  # published dir whose pointer swap never happened
                removed.append(f"unpublished generation {entry.name}")
        return removed


def clean_generation_leftovers(generation: Path) -> list[str]:
    """Remove the temp files of ``write_atomic`` calls a killed run never finished."""
    removed = []
    for entry in sorted(generation.iterdir()):
        if entry.is_file() and re.search(r"\.tmp\d+$", entry.name):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


# --- checksums of committed files -----------------------------------------------------------

CHECKSUMS_NAME = "checksums.json"
# briefsearch's own side files (stamp, checksums, enrichment state, vocabulary) are JSON rewritten
# at every commit; only the engine's files are immutable once written.
_NOT_CHECKSUMMED_SUFFIX = ".json"


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksummed(generation: Path) -> list[Path]:
    return sorted(p for p in generation.iterdir()
                  if p.is_file() and not p.name.endswith(_NOT_CHECKSUMMED_SUFFIX) and not p.name.endswith("LOCK") and ".tmp" not in p.name)


def record_checksums(generation: Path) -> None:
    """After a commit: sha256 of every index file (engine files never change once written, so only
    new files are hashed)."""
    try:
        known = json.loads((generation / CHECKSUMS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    current = {}
    for path in _checksummed(generation):
        current[path.name] = known.get(path.name) or _sha256(path)
    write_atomic(generation / CHECKSUMS_NAME, json.dumps(current, indent=1, sort_keys=True))


def verify_checksums(generation: Path, committed: Callable[[str], bool] | None = None) -> list[str]:
    """Files whose bytes differ from what was recorded at commit, or that are missing.

    ``committed`` (from the engine) tells which names the live commit uses: a process killed
    between a commit and the recording of its checksums leaves entries for files that commit's
    merge deleted, which are history, not damage.
    """
    try:
        known = json.loads((generation / CHECKSUMS_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{generation.name}: no checksums recorded"]
    except ValueError:
        return [f"{generation.name}/{CHECKSUMS_NAME} is unreadable"]
    problems = []
    for name, digest in sorted(known.items()):
        if committed is not None and not committed(name):
            continue
        path = generation / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif _sha256(path) != digest:
            problems.append(f"{name} does not match its checksum")
    return problems


# --- the writer lock -------------------------------------------------------------------------


class WriterLock:
    """briefsearch's single-writer lock: ``flock`` on ``writer.lock``, with the holder recorded.

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
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
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

    def release(self) -> None:
        if self._fd is None:
            return
        import fcntl

        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
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
