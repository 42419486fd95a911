"""A run folder that defends itself: locked while a run writes it, outputs written whole or not at all,
never a file it did not create overwritten, never a link followed, never its own input written over.

Every file ballotdrill writes into a run folder (reports, exports) is recorded with its SHA-256 in
:data:`MANIFEST`; a later command replaces such a file only while it is still what ballotdrill wrote.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.scenarios.errors import BallotdrillError, CannotWrite

LOCK_FILE = ".ballotdrill.lock"
"""Held (``flock``) by the run writing the folder; released by the system if that process dies."""
MANIFEST = ".ballotdrill-outputs.json"
"""The files ballotdrill wrote into the folder, with their SHA-256."""

T = TypeVar("T")


class FolderError(BallotdrillError):
    """A run folder refuses what was asked (busy, not empty, a file that is not ballotdrill's)."""


LIVE = "live"
"""What :func:`locked` records in the lock file for a live exercise (``live``, ``resume``); a batch run records
``run``."""


@contextlib.contextmanager
def locked(folder: Path, holder: str = "run") -> Iterator[None]:
    """Hold ``folder`` (created if needed) for one run (``holder`` "run") or live exercise (:data:`LIVE`); a second
    one into it is refused at once, and readers are told who holds it (:func:`holder_of`). A folder that is a
    symbolic link is refused: no command writes through one."""
    if folder.is_symlink():
        raise FolderError(f"{folder} is a symbolic link; ballotdrill never writes through one: give the real path "
                          f"({os.path.realpath(folder)}) or a new folder")
    make_output_folder(folder)
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise FolderError(f"{folder}: cannot create the output folder ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderError(_taken(folder, _read_holder(fd))) from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.encode("ascii"), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(folder / LOCK_FILE)
    finally:
        os.close(fd)


def make_output_folder(folder: Path) -> None:
    """Create the output folder ``folder`` (and its parents) if needed; a file in its place is named a file."""
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"{folder} is a file, not a folder; give a new or empty folder for --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(f"{folder}: cannot create the output folder ({exc.strerror or exc})") from None


NOTE_WAIT = 1.0
"""Seconds a reader waits for the holder's note (:func:`locked` writes it just after it takes the lock)."""


def _read_holder(fd: int) -> str:
    """Who holds the lock on ``fd``: its note, waited for while it is empty (the instant between taking the lock
    and writing the note, where a live exercise would read as a batch run), then "run" if it never comes."""
    deadline = time.monotonic() + NOTE_WAIT
    while True:
        try:
            note = os.pread(fd, 16, 0).decode("ascii", "replace").strip()
        except OSError:
            return "run"
        if note or time.monotonic() >= deadline:
            return note or "run"
        time.sleep(0.005)


def _taken(folder: Path, holder: str) -> str:
    if holder == LIVE:
        return (f"{folder}: busy: this exercise is being played live by another ballotdrill now ('live' or "
                "'resume'); only one may play it: use that one, or stop it first (Ctrl-C) and resume it")
    return f"{folder}: another run is writing this folder; choose another --out"


def holder_of(folder: Path) -> str | None:
    """Who is writing ``folder`` now: "run", :data:`LIVE`, or None (nobody)."""
    try:
        fd = os.open(Path(folder) / LOCK_FILE, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd)
        return None
    finally:
        os.close(fd)


def is_busy(folder: Path) -> bool:
    """Whether a run or live exercise is writing ``folder`` now."""
    return holder_of(folder) is not None


def refuse_if_busy(folder: Path, *, force: bool = False) -> bool:
    """Refuse a folder that a run is writing, unless ``force`` and it is a live exercise: then True, and the caller
    reads the journal as it stands (to its last commit: its writer never blocks a reader) and changes nothing."""
    holder = holder_of(folder)
    if holder is None:
        return False
    if holder != LIVE:
        raise FolderError(f"{folder}: a run is still writing this folder; wait for it to finish")
    if not force:
        raise FolderError(f"{folder}: busy: this exercise is being played live; wait for it to end, or add --force "
                          "to use what it has committed so far (marked unverified)")
    return True


def require_empty(folder: Path, what: str = "a run") -> None:
    """A run (or ``what``) writes only into a new or empty folder: nothing of the user's is ever overwritten, and
    its files are never mixed with others'."""
    held = sorted(p.name for p in folder.iterdir() if p.name != LOCK_FILE)
    if held:
        shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
        raise FolderError(f"{folder} is not empty (it holds {shown}); {what} writes only into a new or empty "
                          "folder: choose another --out")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: Path, *, folder: Path | None = None, inputs: Sequence[Path] = ()) -> bool:
    """Refuse what :func:`write_output` refuses at ``path``, writing nothing (so a command writing several files
    checks them all before it writes the first); True if ``path`` is inside the run folder ``folder``."""
    path = Path(path)
    if path.is_symlink():
        raise FolderError(f"{path} is a symbolic link; ballotdrill never writes through one (give the real path)")
    for source in inputs:
        if _same_file(path, source):
            raise FolderError(f"{path} is this command's own input; write the output to another file")
    inside = folder is not None and path.resolve().parent == Path(folder).resolve()
    if inside and path.exists() and (path.is_dir() or _manifest(Path(folder or ".")).get(path.name) != _sha256(path)):
        raise FolderError(f"{path} was not written by ballotdrill (or was changed since); move it away, "
                          "or write elsewhere")
    if path.is_dir():
        raise FolderError(f"{path} is a folder; give the name of a file to write")
    if path.exists() and not inside:
        raise FolderError(f"{path} already exists; ballotdrill does not overwrite it: choose another name, or "
                          "remove the file first")
    if not path.parent.is_dir():
        raise FolderError(no_folder(path))
    return inside


def no_folder(path: Path) -> str:
    """The line for a file to write whose folder does not exist."""
    return f"{path}: no folder {str(path.parent)!r} to write it in; create the folder first, or give another path"


def write_output(path: Path, fill: Callable[[Path], T], *, folder: Path | None = None,
                 inputs: Sequence[Path] = ()) -> T:
    """Write ``path`` whole or not at all: ``fill`` writes a temporary file beside it, renamed over it at the end.

    Refused: a symbolic link at ``path``; a path that is one of ``inputs``; inside ``folder`` (a run folder),
    an existing file that ballotdrill did not write there or that was changed since; anywhere else, any
    existing file (nothing records who wrote it, so it may be the only copy of something).
    """
    inside = check_output(path, folder=folder, inputs=inputs)
    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.ExitStack() as finishing:
        try:
            result = fill(temp)
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
            finishing.enter_context(interrupts_held())  # from here a Ctrl-C waits: renamed and recorded together
            os.replace(temp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise CannotWrite(f"{path}: cannot write ({exc.strerror or exc}); nothing was changed") from None
        except BaseException:  # interrupted while filling: the temporary file goes, the old file stays
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        if inside:
            assert folder is not None
            _record(folder, path)
    return result


def _record(folder: Path, path: Path) -> None:
    """Add ``path`` (just written) to the folder's manifest, itself replaced whole."""
    entries = {**_manifest(folder), path.name: _sha256(path)}
    temp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    try:
        temp.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temp, folder / MANIFEST)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise CannotWrite(f"{folder / MANIFEST}: cannot write ({exc.strerror or exc})") from None
