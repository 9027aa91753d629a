"""How imported files are written: the Parquet options of every round and list the imports
write, and complete-or-absent writes (a temporary name renamed into place)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

# DuckDB COPY options of every imported file. Snappy, not zstd: the national run decodes
# every indicator column of every row, and snappy costs less CPU to decode for somewhat
# larger files (figures: docs/performance.md, "Targeting").
PARQUET_COPY_OPTIONS = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880"


def write_whole(target: Path, write: Callable[[Path], None]) -> Path:
    """Have ``write`` fill a temporary name beside ``target``, renamed into place only when
    complete, so a crash never leaves a half file where a registered one is expected."""
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
