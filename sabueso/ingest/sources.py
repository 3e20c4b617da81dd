"""Finding input files and dispatching each to its reader."""
from __future__ import annotations

import errno
import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sabueso.core import Document

from .errors import IngestError, exc_reason, without_surrogates
from .htmlfile import read_html
from .jsonlfile import iter_jsonl
from .pdffile import read_pdf
from .textfile import read_markdown, read_text

MAX_FILE_BYTES = 200 * 1000 * 1000  # 200 MB, on disk and, for .gz, after decompression

_READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".txt": read_text, ".md": read_markdown, ".html": read_html, ".htm": read_html,
    ".pdf": read_pdf,
}
BASE_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".jsonl")
SUPPORTED_SUFFIXES: tuple[str, ...] = BASE_SUFFIXES + tuple(s + ".gz" for s in BASE_SUFFIXES)
_LONGEST_FIRST = sorted(SUPPORTED_SUFFIXES, key=len, reverse=True)

PathLike = str | os.PathLike


def suffix_of(path: PathLike) -> str | None:
    """The supported (possibly compound, e.g. ``.jsonl.gz``) suffix of a file name, lower-cased,
    or None when the file type is not supported."""
    name = os.path.basename(os.fspath(path)).lower()
    for suffix in _LONGEST_FIRST:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return None


def _unsupported(path: PathLike) -> IngestError:
    suffix = "".join(Path(path).suffixes[-2:]) or "(none)"
    return IngestError(path, f"unsupported file type {suffix} (supported: "
                             f"{', '.join(BASE_SUFFIXES)}, optionally gzipped as .gz)")


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths the same file or folder: device and inode (one system call, where
    ``os.path.realpath`` checks every component, which is quadratic down a deep tree)."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return st.st_dev, st.st_ino


def _listing(folder: Path, visited: set) -> Iterator[tuple[bool, Path] | IngestError]:
    """A folder's non-hidden subfolders and supported files, sorted, as (is_folder, path);
    nothing for a folder already listed (a symlink loop, or a folder named twice)."""
    key = _identity(folder)
    if key in visited:
        return
    visited.add(key)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(folder, f"cannot read folder ({exc.strerror or exc_reason(exc)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield True, folder / entry.name
        elif is_file and suffix_of(entry.name):
            yield False, folder / entry.name


def _walk(folder: Path, visited: set) -> Iterator[Path | IngestError]:
    """Supported, non-hidden files under a folder, recursively, in sorted order. A stack, not
    recursion: folders may nest deeper than Python's recursion limit."""
    stack = [_listing(folder, visited)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, IngestError):
            yield item
        elif item[0]:
            stack.append(_listing(item[1], visited))
        else:
            yield item[1]


def _not_a_file(path: Path) -> str:
    if not path.is_symlink():
        return "not a regular file"
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def iter_sources(paths: Iterable[PathLike] | PathLike) -> Iterator[Path | IngestError]:
    """Expand files and folders into the files to read.

    Folders are walked recursively in sorted order; hidden entries and unsupported files in
    them are skipped silently. A path that does not exist, or an explicitly named file of an
    unsupported type, yields an IngestError. Each file is yielded once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set = set()
    visited: set = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _walk(path, visited)
        elif path.is_file():
            found = iter([path if suffix_of(path) else _unsupported(raw)])
        elif path.exists() or path.is_symlink():
            found = iter([IngestError(raw, _not_a_file(path))])
        else:
            found = iter([IngestError(raw, "no such file or directory")])
        for item in found:
            if isinstance(item, Path):
                key = _identity(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _too_large(size: int | None = None, after: str = "") -> str:
    """'file too large (250 MB; the limit is 200 MB)', or, when the size is not known (a gzip
    bomb is not inflated past the limit) or rounds to the limit, 'over the 200 MB limit'."""
    limit = f"{MAX_FILE_BYTES / 1e6:.0f} MB"
    shown = f"{size / 1e6:.0f} MB" if size is not None else limit
    detail = f"{shown}; the limit is {limit}" if shown != limit else f"over the {limit} limit"
    return f"file too large{after} ({detail})"


def _gunzip(path: Path, name: str) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise IngestError(name, f"corrupt gzip file ({exc_reason(exc)})") from None
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(name, _too_large(after=" after decompression"))
    return data


def read_bytes(data: bytes, name: str, suffix: str | None = None
               ) -> Iterator[Document | IngestError]:
    """Read already-loaded (and decompressed) content; ``suffix`` defaults to ``name``'s."""
    suffix = suffix or suffix_of(name)
    if suffix is None or suffix.endswith(".gz"):
        yield _unsupported(name)
        return
    try:
        if suffix == ".jsonl":
            yield from iter_jsonl(data, name)
        else:
            yield _READERS[suffix](data, name)
    except IngestError as err:
        yield err
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a library failure on one file must not stop a whole batch
        yield IngestError(name, f"could not read {suffix[1:]} file "
                                f"({type(exc).__name__}: {exc_reason(exc)})")


def read_path(path: PathLike) -> Iterator[Document | IngestError]:
    """Read one file: one Document (or one per line for JSONL) or IngestErrors."""
    name = without_surrogates(os.fspath(path))  # a name that is not UTF-8 is stored too
    file = Path(path)
    suffix = suffix_of(name)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        yield IngestError(name, "no such file or directory")
        return
    except OSError as exc:
        yield IngestError(name, exc.strerror or exc_reason(exc))
        return
    if file.is_dir():
        yield IngestError(name, "is a directory (use iter_sources to expand folders)")
        return
    if suffix is None:
        yield _unsupported(name)
        return
    if size > MAX_FILE_BYTES:
        yield IngestError(name, _too_large(size))
        return
    try:
        if suffix.endswith(".gz"):
            data, suffix = _gunzip(file, name), suffix[: -len(".gz")]
        else:
            data = file.read_bytes()
    except IngestError as err:
        yield err
        return
    except OSError as exc:
        yield IngestError(name, f"cannot read file ({exc.strerror or exc_reason(exc)})")
        return
    yield from read_bytes(data, name, suffix)


def iter_documents(paths: Iterable[PathLike] | PathLike, strict: bool = False
                   ) -> Iterator[Document | IngestError]:
    """Documents from files and folders. Problems are yielded as IngestError values, or, with
    ``strict=True``, the first one is raised."""
    for source in iter_sources(paths):
        items = [source] if isinstance(source, IngestError) else read_path(source)
        for item in items:
            if strict and isinstance(item, IngestError):
                raise item
            yield item
