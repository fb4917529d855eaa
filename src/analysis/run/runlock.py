"""One run at a time (khóa chạy): a lock file held for as long as a run of a scope and period lasts.

The lock is the operating system's (``flock``) on a small file: it is released when the process
ends, however it ends, so a run that was killed never leaves a stale lock behind.  A second run
of the same scope and period stops at once with exit status 2 and says who holds the lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from analysis.errors import fail


class RunLock:
    """``with RunLock(path, "report phu-tho 2026-08"):`` — fails (exit 2) if another run holds it."""

    def __init__(self, path: str | os.PathLike[str], what: str):
        self.path = Path(path)
        self.what = what
        self._handle: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 200).decode("utf-8", "replace").strip() or "another process"
            os.close(handle)
            raise fail(self.path, f"{self.what}: another run is under way ({holder}); try again when it has finished") from None
        os.ftruncate(handle, 0)
        os.write(handle, f"pid {os.getpid()}".encode())
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
