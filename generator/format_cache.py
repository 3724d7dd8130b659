"""A content-addressed cache of black's output, in the user's cache folder.

An entry is found by the key of what black was given (`format.key`: the rendered text, black's version and mode)
and holds its key and the hash of the formatted text beside that text. An entry whose header, key or hash does
not match (corrupt, truncated, written by another layout) is a miss, formatted again and rewritten: the cache
can make a run faster, never change what it writes. Writes are atomic (a temporary file renamed into place) and
any failure to read or write the cache is ignored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

MAGIC = b"specgen-format-cache 1"
MAX_ENTRY = 16 * 1024 * 1024


def default_folder() -> Path:
    """$XDG_CACHE_HOME/specgen/format, else ~/.cache/specgen/format (compiled templates go beside it)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "specgen" / "format"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FormatCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_folder()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> str | None:
        """The formatted text stored under `key`, or None when there is none or it fails verification."""
        try:
            with open(self._entry(key), "rb") as entry:
                data = entry.read(MAX_ENTRY + 1)
            header, body = data.split(b"\n", 1)
            magic, stored_key, stored_hash = header.rsplit(b" ", 2)
            if magic != MAGIC or stored_key.decode() != key or stored_hash.decode() != digest(body):
                raise ValueError("not a valid entry")
            text = body.decode("utf-8")
        except (OSError, ValueError, UnicodeError):
            return None
        return text

    def put(self, key: str, text: str) -> None:
        body = text.encode("utf-8")
        if len(body) > MAX_ENTRY:
            return
        data = MAGIC + b" " + key.encode() + b" " + digest(body).encode() + b"\n" + body
        target = self._entry(key)
        temporary = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
            temporary = None
        except OSError:
            pass  # a cache that cannot be written only costs time
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
