"""The process's resident memory from ``/proc`` (Linux), for the benchmarks that report peaks: its current and
peak RSS (``VmRSS``, ``VmHWM``) and a reset of the peak to the current RSS (``/proc/self/clear_refs``), so a
benchmark can measure the peak of one step alone. Elsewhere the readers return None and the reset False."""

from __future__ import annotations

import re
from pathlib import Path


def status_kb(field: str) -> int | None:
    """A ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``...); None where /proc does not say."""
    try:
        m = re.search(rf"^{field}:\s+(\d+)", Path("/proc/self/status").read_text(encoding="ascii"), re.MULTILINE)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def peak_rss_mb() -> float | None:
    """This process's peak resident set (VmHWM), MiB; None where /proc does not say."""
    kb = status_kb("VmHWM")
    return None if kb is None else round(kb / 1024, 1)


def reset_peak_rss() -> bool:
    """Set the process's peak RSS (VmHWM) back to its current RSS; False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True
