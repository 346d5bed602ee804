"""Every write into a folder the user named: never through a link, never half a run.

The rules (docs/hostile-inputs.md shows the attacks they stop):

- Each component of the output path is opened with O_NOFOLLOW|O_DIRECTORY relative to the one
  before it (from `/` or the working folder); missing ones are created the same way. A component
  that is a symbolic link is refused, whoever planted it: a scanned repository can ship
  `baseline-report` or `reports` as a link to anywhere.
- A whole output (all report files, or the whole bundle) is built in a fresh private temporary
  folder beside the destination, written to disk (fsync), and only then put in place:
  - the destination does not exist: one rename;
  - the destination holds only entries this writer owns (for reports: report file names; for
    a bundle: the bundle layout): it is swapped, the old folder renamed aside, the new one
    renamed in, the old one removed without following links. A reader sees the previous run or
    this run, never a mix; an interrupted or failed swap puts the previous folder back;
  - the destination also holds files we did not write (`--out .`, or assess-many's folder that
    holds the portfolio beside one folder per repository): where `foreign_ok`, only the files
    this run writes are replaced, each by a rename from a temporary folder inside it, after all
    of them were written; nothing else there is touched or deleted. Otherwise (bundles) refused.
  - an existing destination that holds a symbolic link or a special file where we look (its top
    level and the folders we own inside it) is refused.
- Nothing is ever deleted because an old file (a manifest) listed it.
- An OSError while writing (a full disk, a read-only or forbidden folder) is an InputError
  naming the path and the reason (exit 2); the temporary folder is removed, the previous output
  is untouched.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from baseline.errors import InputError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc).

    os.umask can only be read by setting it: elsewhere the value is set and put straight back,
    under a lock, so threads writing at once (assess-many) agree on it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        current = os.umask(0o022)
        os.umask(current)
    return current


def failure(path: Path | str, exc: OSError, doing: str = "cannot write") -> InputError:
    """A located error for an OSError on an output path: the path and the system's reason."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return InputError.single(str(path), "", f"{doing}: {reason}")


def _open_child(parent: int, name: str, shown: Path, *, create: bool) -> int:
    """The fd of folder `name` inside `parent`, never through a link; created if missing."""
    for _ in range(3):  # a folder created or removed by someone else between our two calls
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:  # noqa: PERF203 - at most three rounds
            if not create:
                raise
            try:
                os.mkdir(name, dir_fd=parent)
            except FileExistsError:
                continue
            except OSError as exc:
                raise failure(shown, exc, "cannot create the folder") from None
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise failure(shown, exc, "cannot open the folder") from None
            kind = os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode
            if stat.S_ISLNK(kind):
                message = "a folder on the output path is a symbolic link (never followed)"
                raise InputError.single(str(shown), "", message) from None
            raise InputError.single(str(shown), "", "is not a folder") from None
    raise InputError.single(str(shown), "", "keeps changing while it is being created")


def open_folder(path: Path, *, create: bool = True) -> int:
    """An O_RDONLY fd of `path`, walking every component without following links.

    Missing components are created when `create`. The caller closes the fd."""
    fd = os.open("/" if path.is_absolute() else ".", _DIR_FLAGS)
    parts = path.parts[1:] if path.is_absolute() else path.parts
    try:
        for index, name in enumerate(parts):
            shown = Path(*path.parts[: index + 1 + path.is_absolute()])
            child = _open_child(fd, name, shown, create=create)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def folder(path: Path, *, create: bool = True) -> Iterator[int]:
    """open_folder as a context manager that closes the fd."""
    fd = open_folder(path, create=create)
    try:
        yield fd
    finally:
        os.close(fd)


def _write_file(dir_fd: int, name: str, data: bytes, mode: int) -> None:
    """Create `name` (it must not exist), write all of `data`, flush it to disk."""
    fd = os.open(name, _NEW_FILE, 0o600, dir_fd=dir_fd)
    try:
        os.fchmod(fd, mode)  # the mode asked for, whatever the umask (0600 for a private key)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _quiet(lambda: os.unlink(name, dir_fd=dir_fd))  # never a half-written file left behind
        raise
    os.close(fd)


def _unique(dir_fd: int, prefix: str, make: Callable[[str], None]) -> str:
    """A fresh name in `dir_fd` made with `make` (which fails with FileExistsError if taken)."""
    for _ in range(100):
        name = f"{prefix}{secrets.token_hex(4)}"
        try:
            make(name)
        except FileExistsError:
            continue
        return name
    raise FileExistsError(errno.EEXIST, "no free temporary name", prefix)


def write_file(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write one file atomically: a temporary file beside it, fsync, rename into place.

    Every folder on the way is opened without following links (created if missing). `mode`
    defaults to what a new file gets under the umask."""
    mode = (0o666 & ~umask()) if mode is None else mode
    with folder(path.parent) as dir_fd:
        tmp = ""
        try:
            tmp = _unique(dir_fd, f".{path.name}.", lambda n: _write_file(dir_fd, n, data, mode))
            os.rename(tmp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException as exc:
            if tmp:
                _quiet(lambda: os.unlink(tmp, dir_fd=dir_fd))
            if isinstance(exc, OSError):
                raise failure(path, exc) from None
            raise


def write_text(path: Path, text: str) -> None:
    """UTF-8 text, atomically (write_file); characters that cannot be encoded are
    backslash-escaped."""
    write_file(path, text.encode("utf-8", "backslashreplace"))


def remove_tree(parent: int, name: str) -> None:
    """Remove folder `name` of `parent` and everything in it, never following a link.

    (shutil.rmtree takes dir_fd only from Python 3.11.) A link inside is removed, not followed;
    every folder is opened with O_NOFOLLOW relative to the one holding it."""
    fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    try:
        for entry in list(os.scandir(fd)):
            if entry.is_dir(follow_symlinks=False):
                remove_tree(fd, entry.name)
            else:
                os.unlink(entry.name, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=parent)


def _quiet(action: Callable[[], object]) -> None:
    try:
        action()
    except OSError:
        pass


def _check_names(files: Mapping[str, bytes], out: Path) -> None:
    for name in files:
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise InputError.single(str(out / name), "", "is not a plain path inside the output")


def _build(dir_fd: int, files: Mapping[str, bytes], out: Path) -> None:
    """Write every file under the (fresh, empty) folder `dir_fd`, creating its sub-folders."""
    mode = 0o666 & ~umask()
    for name, data in sorted(files.items()):
        *folders, leaf = PurePosixPath(name).parts
        fd = os.dup(dir_fd)
        try:
            for part in folders:
                try:
                    os.mkdir(part, dir_fd=fd)
                except FileExistsError:
                    pass
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = child
            try:
                _write_file(fd, leaf, data, mode)
            except OSError as exc:
                raise failure(out / name, exc) from None
        finally:
            os.close(fd)
    _fsync_tree(dir_fd)


def _fsync_tree(dir_fd: int) -> None:
    for entry in os.scandir(dir_fd):
        if entry.is_dir(follow_symlinks=False):
            child = os.open(entry.name, _DIR_FLAGS, dir_fd=dir_fd)
            try:
                _fsync_tree(child)
            finally:
                os.close(child)
    os.fsync(dir_fd)


def _scan(dir_fd: int, out: Path, owns: Callable[[str], bool], rel: str = "") -> list[str]:
    """Top-level entries we do not own; refuse links and special files where we look."""
    foreign = []
    for entry in sorted(os.scandir(dir_fd), key=lambda e: e.name):
        name = f"{rel}{entry.name}"
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            raise InputError.single(
                str(out / name), "", "is a symbolic link: an output folder that holds links "
                "is never written into (remove it or name another folder)",
            )  # fmt: skip
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise InputError.single(
                str(out / name), "", "is not a regular file or folder: an output folder that "
                "holds one is never written into (remove it or name another folder)",
            )  # fmt: skip
        if not owns(name + ("/" if stat.S_ISDIR(mode) else "")):
            foreign.append(name)
        elif stat.S_ISDIR(mode):
            child = os.open(entry.name, _DIR_FLAGS, dir_fd=dir_fd)
            try:
                foreign += _scan(child, out, owns, f"{name}/")
            finally:
                os.close(child)
    return foreign


def write_tree(
    out: Path,
    files: Mapping[str, bytes],
    *,
    owns: Callable[[str], bool],
    foreign_ok: bool,
    refuse_foreign: str = "",
) -> None:
    """Put `files` (relative POSIX path -> content) into folder `out` as one whole (module doc).

    `owns(rel)` says whether an entry found in an existing `out` is ours to replace (folders
    are passed with a trailing `/`). Entries we do not own make the write a per-file replacement
    when `foreign_ok`, else an InputError with the message `refuse_foreign`."""
    _check_names(files, out)
    if out.name in ("", ".", ".."):
        with folder(out) as out_fd:
            _refuse_foreign(out, _scan(out_fd, out, owns), foreign_ok, refuse_foreign)
            _replace_inside(out_fd, out, files)
        return
    with folder(out.parent) as parent:
        try:
            found = os.stat(out.name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            found = None
        except OSError as exc:
            raise failure(out, exc, "cannot open the folder") from None
        if found is not None:
            if stat.S_ISLNK(found.st_mode):
                raise InputError.single(str(out), "", "the output folder is a symbolic link")
            if not stat.S_ISDIR(found.st_mode):
                raise InputError.single(str(out), "", "is not a folder")
            out_fd = os.open(out.name, _DIR_FLAGS, dir_fd=parent)
            try:
                foreign = _scan(out_fd, out, owns)
                if foreign or not _can_swap(parent, found):
                    _refuse_foreign(out, foreign, foreign_ok, refuse_foreign)
                    _replace_inside(out_fd, out, files)
                    return
            finally:
                os.close(out_fd)
        _swap_in(parent, out, files, exists=found is not None)


def _can_swap(parent: int, found: os.stat_result) -> bool:
    # A folder we may write into whose parent we may not (a shared folder), or a mount point (a
    # container's volume cannot be renamed): replace the files inside it instead.
    mounted = found.st_dev != os.fstat(parent).st_dev
    return not mounted and os.access(".", os.W_OK | os.X_OK, dir_fd=parent)


def _refuse_foreign(out: Path, foreign: list[str], foreign_ok: bool, message: str) -> None:
    if foreign and not foreign_ok:
        raise InputError.single(str(out), "", f"{message} (it holds {foreign[0]!r})")


def _swap_in(parent: int, out: Path, files: Mapping[str, bytes], *, exists: bool) -> None:
    """Build the whole output beside `out`, then rename it into place (module doc)."""
    try:
        tmp = _unique(parent, f".{out.name}.new-", lambda n: os.mkdir(n, 0o700, dir_fd=parent))
    except OSError as exc:
        raise failure(out.parent, exc, "cannot create a temporary folder") from None
    try:
        tmp_fd = os.open(tmp, _DIR_FLAGS, dir_fd=parent)
        try:
            _build(tmp_fd, files, out)
            os.fchmod(tmp_fd, 0o777 & ~umask())
        finally:
            os.close(tmp_fd)
        if not exists:
            _rename(parent, tmp, out.name, out)
        else:
            aside = _unique(parent, f".{out.name}.old-", lambda n: _rename_new(parent, out, n))
            try:
                _rename(parent, tmp, out.name, out)
            except BaseException:
                os.rename(aside, out.name, src_dir_fd=parent, dst_dir_fd=parent)
                raise
            _quiet(lambda: remove_tree(parent, aside))
        os.fsync(parent)
    except BaseException as exc:
        _quiet(lambda: remove_tree(parent, tmp))
        if isinstance(exc, OSError):
            raise failure(out, exc) from None
        raise


def _rename_new(parent: int, out: Path, name: str) -> None:
    # The old folder goes aside under a fresh name; a taken name is a FileExistsError (retry).
    try:
        os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        os.rename(out.name, name, src_dir_fd=parent, dst_dir_fd=parent)
        return
    raise FileExistsError(errno.EEXIST, "taken", name)


def _rename(parent: int, src: str, dst: str, out: Path) -> None:
    try:
        os.rename(src, dst, src_dir_fd=parent, dst_dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
            raise InputError.single(str(out), "", "appeared while the output was written") from None
        raise


def _replace_inside(out_fd: int, out: Path, files: Mapping[str, bytes]) -> None:
    """Replace only this run's files inside a folder that also holds others (module doc).

    The caller has scanned the folder (_scan) and refused what it must."""
    if any("/" in name for name in files):
        # A whole tree (a bundle) is only ever swapped in: its folders cannot be renamed over
        # old ones one by one.
        raise InputError.single(
            str(out), "", "cannot be replaced (a mount point, or its parent folder is not "
            "writable): name a new folder",
        )  # fmt: skip
    try:
        tmp = _unique(out_fd, ".baseline-new-", lambda n: os.mkdir(n, 0o700, dir_fd=out_fd))
    except OSError as exc:
        raise failure(out, exc, "cannot create a temporary folder") from None
    try:
        tmp_fd = os.open(tmp, _DIR_FLAGS, dir_fd=out_fd)
        try:
            _build(tmp_fd, files, out)
            # Every file is whole on disk before the first one replaces an old one.
            for name in sorted(files):
                os.rename(name, name, src_dir_fd=tmp_fd, dst_dir_fd=out_fd)
            os.fsync(out_fd)
        finally:
            os.close(tmp_fd)
    except BaseException as exc:
        if isinstance(exc, OSError):
            raise failure(out, exc) from None
        raise
    finally:
        _quiet(lambda: remove_tree(out_fd, tmp))
