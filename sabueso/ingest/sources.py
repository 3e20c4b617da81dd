"""Finding input files and dispatching each to its reader."""
from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sabueso.core import Document

from .errors import IngestError, exc_reason
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


def _walk(folder: Path, visited: set[str]) -> Iterator[Path | IngestError]:
    """Supported, non-hidden files under a folder, recursively, in sorted order."""
    real = os.path.realpath(folder)
    if real in visited:  # a symlink loop, or a folder already expanded
        return
    visited.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(folder, f"cannot read folder ({exc.strerror or exc_reason(exc)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = folder / entry.name
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(child, visited)
        elif is_file and suffix_of(entry.name):
            yield child


def iter_sources(paths: Iterable[PathLike] | PathLike) -> Iterator[Path | IngestError]:
    """Expand files and folders into the files to read.

    Folders are walked recursively in sorted order; hidden entries and unsupported files in
    them are skipped silently. A path that does not exist, or an explicitly named file of an
    unsupported type, yields an IngestError. Each file is yielded once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[str] = set()
    visited: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _walk(path, visited)
        elif path.is_file():
            found = iter([path if suffix_of(path) else _unsupported(raw)])
        elif path.exists() or path.is_symlink():
            kind = "broken symbolic link" if path.is_symlink() else "not a regular file"
            found = iter([IngestError(raw, kind)])
        else:
            found = iter([IngestError(raw, "no such file or directory")])
        for item in found:
            if isinstance(item, Path):
                key = os.path.realpath(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _too_large(size: int) -> str:
    return f"file too large ({size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"


def _gunzip(path: Path, name: str) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise IngestError(name, f"corrupt gzip file ({exc_reason(exc)})") from None
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(name, _too_large(len(data)) + " after decompression")
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
    name = os.fspath(path)
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
