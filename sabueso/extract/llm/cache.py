"""Disk cache of validated model replies.

One JSON file per (model, prompt version, prompt hash, document hash, chunk index, chunk hash),
under ``$SABUESO_CACHE_DIR`` if set, else the user cache directory (``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows), in
``sabueso/llm/``. Only replies that passed validation are stored; files are written atomically,
and an unreadable file counts as a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    if os.environ.get("SABUESO_CACHE_DIR"):
        return Path(os.environ["SABUESO_CACHE_DIR"]).expanduser() / "llm"
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sabueso" / "llm"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(model: str, prompt_version: str, prompt_hash: str, doc_hash: str,
              chunk_index: int, chunk_hash: str) -> str:
    parts = [model, prompt_version, prompt_hash, doc_hash, str(chunk_index), chunk_hash]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.json"


def get(key: str) -> Any | None:
    path = _path(key)
    try:
        return json.loads(path.read_text(encoding="utf-8"))["payload"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def put(key: str, payload: Any, meta: dict | None = None) -> None:
    """Store a validated reply (atomically; a cache that cannot be written is skipped)."""
    path, tmp = _path(key), None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta or {}, "payload": payload}, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
