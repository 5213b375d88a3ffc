"""The crawl child's side effects that the parent must not lose: its log and its life.

The child's stderr (Scrapy's log and ours) is kept in a temporary file; afterwards each
line is relayed to the parent's log, and the lines that tell of errors are stored with the
run, so nothing a spider raises vanishes with a discarded stream. The child also gets a
parent-death signal so it never outlives the process that started it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
import signal

from core.redact import redact

logger = logging.getLogger("crawlers.child")

PR_SET_PDEATHSIG = 1
MAX_TAIL_CHARS = 2000

_ERROR_LINE = re.compile(r"\b(ERROR|CRITICAL)\b|^Traceback|^\w+(Error|Exception)\b")
_LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING,
           "ERROR": logging.ERROR, "CRITICAL": logging.CRITICAL}
_CHILD_LEVEL = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")


def parent_death_signal() -> None:
    """In the child, before exec: ask Linux to SIGKILL us when the parent dies.

    Best effort: on systems without prctl (not Linux) the child's own watchdog, which
    notices a changed parent pid, is what stops it.
    """
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


def relay(log: str) -> None:
    """Each line of the child's log into the parent's log, at the child's own level."""
    for line in log.splitlines():
        if not line.strip():
            continue
        match = _CHILD_LEVEL.search(line)
        level = _LEVELS.get(match.group(1), logging.WARNING) if match else logging.WARNING
        logger.log(level, "%s", redact(line))


def error_lines(log: str) -> str:
    """The part of the child's log that explains a failure: lines logged as ERROR or
    CRITICAL and tracebacks (from their first line to the exception), secrets redacted,
    capped. Warnings such as a library's DeprecationWarning are left out."""
    kept: list[str] = []
    in_traceback = False
    for line in log.splitlines():
        if line.startswith("Traceback"):
            in_traceback = True
        if in_traceback or _ERROR_LINE.search(line):
            kept.append(line)
        if in_traceback and line and not line.startswith((" ", "Traceback")):
            in_traceback = False
    return redact("\n".join(kept))[-MAX_TAIL_CHARS:]
