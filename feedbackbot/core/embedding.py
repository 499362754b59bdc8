"""Sentence embeddings on the CPU, so the chat can recognise what a message means, not just its words.

Pure: no Flask, no database. The model (all-MiniLM-L6-v2 as int8 ONNX) is run by onnxruntime and
tokenised by Hugging Face `tokenizers`; both files are checked against their sha256 before use, so
a damaged or swapped file stops the service instead of quietly changing what it hears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384


class EmbeddingModelError(ValueError):
    """The model or tokenizer file is missing or not the one configured; the message says which."""


@dataclass(frozen=True)
class ModelFiles:
    """Where the model and its tokenizer are, and the sha256 each must have."""

    model: Path
    model_sha256: str
    tokenizer: Path
    tokenizer_sha256: str
    max_tokens: int = 128


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks (the model is 23 MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path, expected: str, what: str) -> None:
    """Refuse a file that is missing or whose sha256 is not the configured one."""
    if not path.is_file():
        raise EmbeddingModelError(f"{what} not found at {path}")
    actual = file_sha256(path)
    if actual != expected.lower():
        raise EmbeddingModelError(f"{what} at {path} has sha256 {actual}, expected {expected.lower()}")


class SentenceEncoder:
    """Turns texts into unit-length 384-number vectors; similar meanings give similar vectors."""

    def __init__(self, files: ModelFiles, *, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        verify_file(files.model, files.model_sha256, "the sentence-embedding model")
        verify_file(files.tokenizer, files.tokenizer_sha256, "the sentence-embedding tokenizer")
        self.files = files
        tokenizer = Tokenizer.from_file(str(files.tokenizer))
        tokenizer.no_padding()  # the file pads to 128; short chat messages are far cheaper unpadded
        tokenizer.enable_truncation(files.max_tokens)
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # one core per request: web workers run side by side
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(files.model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts (mean of the token vectors, normalised); an empty list gives shape (0, 384)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        out = []
        for first in range(0, len(texts), batch_size):
            out.append(self._encode_batch(list(texts[first : first + batch_size])))
        return np.vstack(out)

    def encode_one(self, text: str) -> np.ndarray:
        """Embed one text."""
        return self._encode_batch([text])[0]

    def encode_parts(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Embed a text and parts of it (character spans) from one run of the model.

        Each part is the mean of its own tokens' vectors, read in the context of the whole text:
        parts of a long message cost nothing beyond the message itself.
        """
        encoding = self._tokenizer.encode(text if text.strip() else ".")
        ids = np.array([encoding.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0][0]
        vectors = [hidden.mean(axis=0)]
        offsets = encoding.offsets
        special = encoding.special_tokens_mask
        beyond = []  # parts past the model's longest input: read on their own, never skipped
        for start, end in spans:
            rows = [i for i, (a, b) in enumerate(offsets) if not special[i] and a < end and b > start]
            if rows:
                vectors.append(hidden[rows].mean(axis=0))
            else:
                beyond.append(text[start:end])
        stacked = np.vstack(vectors)
        stacked /= np.maximum(np.linalg.norm(stacked, axis=1, keepdims=True), 1e-12)
        parts = stacked[1:].astype(np.float32)
        if beyond:
            parts = np.vstack([parts, self._encode_batch(beyond)])
        return stacked[0].astype(np.float32), parts

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@lru_cache(maxsize=2)
def encoder_for(files: ModelFiles) -> SentenceEncoder:
    """One encoder per process and model: loading it takes a few hundred milliseconds."""
    return SentenceEncoder(files)
