"""A report folder replaced whole (thay cả thư mục): built beside its place, then swapped in.

``fresh_build_folder(final)`` gives ``.<name>.build`` beside ``final`` (empty), after clearing what
a killed run may have left: an earlier build, an old copy being deleted, temporaries inside the
report.  ``swap_into_place(build, final)`` exchanges the two folders in one step where the
system can (Linux ``renameat2(RENAME_EXCHANGE)``), else with two renames, and deletes the old
one.  Killed at any moment, a run leaves ``final`` as one complete report: the previous one or
the new one.  Callers hold the run's lock (:mod:`analysis.run.runlock`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def build_folder(final: Path) -> Path:
    return final.parent / f".{final.name}.build"


def final_folder(build: Path) -> Path:
    """The report folder a build folder (``.<name>.build``) is swapped into."""
    return build.parent / build.name.removeprefix(".").removesuffix(".build")


def old_folder(final: Path) -> Path:
    return final.parent / f".{final.name}.old"


def fresh_build_folder(final: Path) -> Path:
    """An empty build folder beside ``final``; what a killed run left is put right or removed."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = old_folder(final)
    if not final.exists() and old.is_dir():
        os.rename(old, final)  # killed between the two renames of a swap: the old report comes back
    for stale in (build_folder(final), old):
        shutil.rmtree(stale, ignore_errors=True)
    if final.is_dir():
        for temporary in final.rglob(".*"):  # files an atomic write of a killed in-place run left
            if temporary.is_file():
                temporary.unlink(missing_ok=True)
    build = build_folder(final)
    build.mkdir()
    return build


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def swap_into_place(build: Path, final: Path) -> None:
    """Put the finished ``build`` folder at ``final`` and delete the folder it replaces."""
    if not final.exists():
        os.rename(build, final)
        return
    if _exchange(build, final):
        shutil.rmtree(build, ignore_errors=True)  # now the previous report
        return
    old = old_folder(final)
    shutil.rmtree(old, ignore_errors=True)
    os.rename(final, old)
    os.rename(build, final)
    shutil.rmtree(old, ignore_errors=True)
