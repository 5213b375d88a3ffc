"""Find a transformers model on disk or on the Hugging Face hub without hanging when offline.

`from_pretrained("org/name")` on a machine without network retries with long time-outs. Here a
hub name is resolved in three fast steps: (1) files already in the local HF cache are used with
``local_files_only=True``; (2) if ``HF_HUB_OFFLINE`` is set, stop; (3) a TCP probe of the hub
(≤ 2 s) decides whether a download is worth trying, with short hub time-outs set.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from nlp.sentiment.base import ModelLoadError

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True)
class ModelSource:
    """Where to load from: a local directory, or a hub id (cached or to download)."""

    name_or_path: str
    local_files_only: bool
    is_local_dir: bool


def resolve_model_source(name: str) -> ModelSource:
    """Decide how to load `name` (a directory or a hub id); raises `ModelLoadError` fast."""
    if not name.strip():
        raise ModelLoadError("model.name is empty; set a Hugging Face model id or a local path")
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").exists():
            raise ModelLoadError(f"{path} has no config.json; it is not a saved transformers model")
        return ModelSource(str(path), local_files_only=True, is_local_dir=True)
    if name.startswith((".", "/", "~")) or name.count("/") > 1:
        raise ModelLoadError(f"Model directory {name} does not exist")
    if _in_hf_cache(name):
        return ModelSource(name, local_files_only=True, is_local_dir=False)
    if _truthy(os.environ.get("HF_HUB_OFFLINE")):
        raise ModelLoadError(
            f"{name} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set"
        )
    endpoint = os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT)
    if not hub_reachable(endpoint):
        raise ModelLoadError(
            f"{name} is not in the local Hugging Face cache and {endpoint} cannot be reached "
            '(offline?). Download it on a connected machine or use backend = "embedded".'
        )
    _short_hub_timeouts()
    logger.info("Downloading %s from %s", name, endpoint)
    return ModelSource(name, local_files_only=False, is_local_dir=False)


def _short_hub_timeouts(etag_s: int = 5, download_s: int = 30) -> None:
    """Short hub time-outs, unless the user set their own. huggingface_hub reads the
    environment at import, so its constants are updated too."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", str(etag_s))
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", str(download_s))
    try:
        from huggingface_hub import constants
    except ImportError:
        return
    for name in ("HF_HUB_ETAG_TIMEOUT", "HF_HUB_DOWNLOAD_TIMEOUT"):
        if hasattr(constants, name):
            try:
                setattr(constants, name, int(float(os.environ[name])))
            except ValueError:
                logger.warning("Ignoring %s=%r: not a number of seconds", name, os.environ[name])


def hub_reachable(endpoint: str = DEFAULT_ENDPOINT, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """A TCP connect to the hub's host within `timeout` seconds (no HTTP, no data sent)."""
    parsed = urlparse(endpoint)
    host = parsed.hostname
    if not host:
        return False
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError as exc:
        logger.info("Hub %s not reachable: %s", endpoint, exc)
        return False


def _in_hf_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    try:
        found = try_to_load_from_cache(repo_id, "config.json")
    except Exception as exc:  # an invalid repo id raises a validation error
        raise ModelLoadError(
            f"{repo_id!r} is neither a directory nor a valid hub model id: {exc}"
        ) from exc
    return isinstance(found, str)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")
