"""Optional: run the transformers model as an int8-quantised ONNX graph in ONNX Runtime.

On a CPU, dynamic int8 quantisation of the Linear layers roughly halves latency for a
BERT-size model at a small accuracy cost. The exported and quantised files are cached under
``$NEWSROOM_CACHE_DIR`` (default ``~/.cache/newsroom``)/onnx/<model>-<version>/, so the export
(tens of seconds) happens once per model version. Needs the optional packages `onnx` and
`onnxruntime` (`pip install onnx onnxruntime`).
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from pathlib import Path
from typing import Any

import torch

from nlp.sentiment.base import ModelLoadError

logger = logging.getLogger(__name__)

OPSET = 17


def cache_dir() -> Path:
    """Where exported models are kept."""
    root = os.environ.get("NEWSROOM_CACHE_DIR") or Path.home() / ".cache" / "newsroom"
    return Path(root) / "onnx"


def load_int8_session(model: Any, name: str, version: str, threads: int = 0) -> Any:
    """An ONNX Runtime session over the int8 model; exports and quantises on first use."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelLoadError(
            f"onnx_int8 = true needs onnxruntime and onnx ({exc}); "
            "run `pip install onnx onnxruntime` or set onnx_int8 = false"
        ) from exc
    folder = cache_dir() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}-{version}"
    int8_path = folder / "model_int8.onnx"
    if not int8_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fp32_path = folder / "model_fp32.onnx"
        export_onnx(model, fp32_path)
        tmp = folder / "model_int8.tmp.onnx"
        logging.disable(logging.WARNING)  # the quantiser logs a line per tensor on root
        try:
            quantize_dynamic(str(fp32_path), str(tmp), weight_type=QuantType.QInt8)
        finally:
            logging.disable(logging.NOTSET)
        tmp.replace(int8_path)
        fp32_path.unlink(missing_ok=True)
        logger.info("Exported %s to %s", name, int8_path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    return ort.InferenceSession(str(int8_path), options, providers=["CPUExecutionProvider"])


def export_onnx(model: Any, path: Path) -> None:
    """Export the classifier with dynamic batch and sequence axes (TorchScript exporter)."""
    try:
        import onnx  # noqa: F401  (the exporter needs it)
    except ImportError as exc:
        raise ModelLoadError(
            f"ONNX export needs the onnx package ({exc}); pip install onnx"
        ) from exc
    model = model.to("cpu").eval()
    dummy_ids = torch.ones((2, 16), dtype=torch.long)
    dummy_mask = torch.ones((2, 16), dtype=torch.long)
    dummy_mask[1, 10:] = 0  # trace the padded case too, as dynamic padding produces it
    axes = {0: "batch", 1: "sequence"}
    with torch.inference_mode(), warnings.catch_warnings():
        # The TorchScript exporter warns about its own deprecation and about traced shape
        # checks; both are expected for this fixed two-input graph.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LogitsOnly(model),
            (dummy_ids, dummy_mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "logits": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )


class _LogitsOnly(torch.nn.Module):
    """Wraps a HF model so the exported graph takes two tensors and returns logits only."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits
