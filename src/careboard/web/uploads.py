"""Uploaded returns: saved to a private folder, validated without loading, then loaded on request.

An upload is a set of CSV files (the 903 tables) or one XML file.  File names are reduced to a safe
basename (no paths), only ``.csv`` and ``.xml`` are accepted and the total size is capped: the
request body is capped before it is read (guard.py), and the files are copied to the upload's
folder in chunks, never held in memory whole.  Each upload gets an unguessable id and belongs to
the user who made it; it is deleted once loaded, and anything older than :data:`KEEP` is swept
away at the next upload.  Messages shown to the analyst name files, never the server's folders.
"""

from __future__ import annotations

import io
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from careboard.validate.runner import Checked, validate_files

MAX_BYTES = 200 * 1024 * 1024
KEEP = 2 * 60 * 60
CHUNK = 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ValueError):
    """An upload that cannot be accepted: the message is shown to the analyst."""


@dataclass
class Upload:
    id: str
    owner: str
    folder: Path
    files: list[Path]
    year: int | None = None  # as the analyst gave it; None to take it from the files
    created: float = field(default_factory=time.time)
    checked: Checked | None = None
    error: str | None = None


def safe_name(name: str) -> str:
    """The file's basename with anything but letters, digits, dot, dash and underscore replaced."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = _SAFE.sub("_", base).lstrip(".")
    return cleaned[:120] or "file"


class Uploads:
    """Uploads in progress, in one private temporary folder per app, made at the first upload (an app that
    never takes one, or that is stopped without its shutdown running, leaves no folder behind)."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self.items: dict[str, Upload] = {}
        self.lock = threading.Lock()

    @property
    def root(self) -> Path:
        """The private folder the uploads are kept in (made, mode 0700, when first needed)."""
        with self.lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="careboard-uploads-"))
            return self._root

    def save(self, owner: str, files: list[tuple[str, BinaryIO | bytes]], year: int | None = None) -> Upload:
        """Keep the files of one upload; :class:`UploadError` if they are not a return we can read.

        Each file is a name and its content: an open binary file (copied in chunks) or bytes.
        """
        self.sweep()
        files = [(n, d) for n, d in files if n]
        if not files:
            raise UploadError("Select the return's files to upload")
        names = [safe_name(n) for n, _ in files]
        kinds = {Path(n).suffix.lower() for n in names}
        if ".zip" in kinds:
            raise UploadError("careboard does not open zip archives: extract the files and upload them "
                              "(CSV files, one per 903 table, or one XML file)")
        if not kinds <= {".csv", ".xml"}:
            raise UploadError("Upload CSV files (one per 903 table) or one XML file")
        if ".xml" in kinds and len(files) > 1:
            raise UploadError("Upload one XML file, or the CSV files on their own")
        if len(set(names)) != len(names):
            raise UploadError("Two files have the same name")
        uid = secrets.token_hex(18)  # hex: a folder name can never look like an authority code (-201-)
        folder = self.root / uid
        folder.mkdir(mode=0o700)
        paths = []
        total = 0
        try:
            for name, (_, data) in zip(names, files, strict=True):
                path = folder / name
                with path.open("xb") as out:
                    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
                    while chunk := source.read(CHUNK):
                        total += len(chunk)
                        if total > MAX_BYTES:
                            raise UploadError(f"The upload is larger than {MAX_BYTES // (1024 * 1024)} MB")
                        out.write(chunk)
                paths.append(path)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(uid, owner, folder, paths, year)
        with self.lock:
            self.items[uid] = upload
        return upload

    def validate(self, upload: Upload, la: str) -> None:
        """Run every DfE rule over the files (nothing is loaded); the result or the reading error is kept."""
        from careboard.returns.issues import ReturnError

        try:
            upload.checked = validate_files(upload.files, la, upload.year)
        except ReturnError as exc:
            upload.error = self.hide_paths(exc.render(limit=20))

    def hide_paths(self, text: str) -> str:
        """``text`` with the server's upload folders taken out (messages name files, not where they are)."""
        if self._root is None:
            return text
        text = re.sub(re.escape(str(self._root)) + r"/[A-Za-z0-9_-]+/?", "", text)
        return text.replace(str(self._root), "")

    def get(self, uid: str, owner: str) -> Upload | None:
        """The upload if it exists and belongs to ``owner`` (another user's id is treated as unknown)."""
        with self.lock:
            upload = self.items.get(uid)
        return upload if upload is not None and upload.owner == owner else None

    def discard(self, uid: str) -> None:
        with self.lock:
            upload = self.items.pop(uid, None)
        if upload is not None:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def sweep(self) -> None:
        cutoff = time.time() - KEEP
        with self.lock:
            old = [u for u in self.items.values() if u.created < cutoff]
        for u in old:
            self.discard(u.id)

    def close(self) -> None:
        """Remove the uploads' folder and everything in it (the app's shutdown); a later upload makes a new one."""
        with self.lock:
            root, self._root = self._root, None
            self.items.clear()
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
