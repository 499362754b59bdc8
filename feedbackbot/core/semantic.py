"""The semantic layer's learning: small linear models over sentence embeddings, trained from data files.

Pure: numpy only. A model is trained from reviewed examples (intents/risk_examples.yaml,
intents/intents.yaml) when those files change and is cached on disk by a key made of the files'
and the embedding model's hashes, so a process loads it in milliseconds instead of re-embedding
every example.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CACHE_VERSION = "1"  # bump when the training code changes, so old caches are not reused


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression over standardised embeddings: classes, weights, bias."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (dimensions, classes)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # (dimensions,)
    scale: np.ndarray  # (dimensions,)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Probability of each class for each row (rows sum to 1)."""
        logits = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to save, named under a prefix."""
        return {
            f"{prefix}.classes": np.array(self.classes),
            f"{prefix}.weights": self.weights,
            f"{prefix}.bias": self.bias,
            f"{prefix}.mean": self.mean,
            f"{prefix}.scale": self.scale,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> LinearModel:
        """Rebuild a model saved by `arrays`."""
        return cls(
            classes=tuple(str(c) for c in arrays[f"{prefix}.classes"]),
            weights=arrays[f"{prefix}.weights"],
            bias=arrays[f"{prefix}.bias"],
            mean=arrays[f"{prefix}.mean"],
            scale=arrays[f"{prefix}.scale"],
        )


def train_linear(
    vectors: np.ndarray,
    labels: Sequence[str],
    *,
    l2: float = 1e-3,
    steps: int = 500,
    learning_rate: float = 0.5,
    weights: Sequence[float] | None = None,
) -> LinearModel:
    """Fit a class-balanced logistic regression by full-batch gradient descent with momentum.

    Balanced, because a category with few examples matters as much as one with many; `weights`
    multiplies each example's weight on top (e.g. reviewed examples count more than traps).
    """
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two classes")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels])
    n, dims = vectors.shape
    k = len(classes)
    mean = vectors.mean(axis=0)
    scale = vectors.std(axis=0) + 1e-6
    x = ((vectors - mean) / scale).astype(np.float32)
    targets = np.eye(k, dtype=np.float32)[y]
    counts = np.bincount(y, minlength=k).astype(np.float32)
    sample = (n / (k * counts))[y]
    if weights is not None:
        sample = sample * np.asarray(weights, dtype=np.float32)
    sample = (sample / sample.sum())[:, None].astype(np.float32)
    w = np.zeros((dims, k), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    velocity_w = np.zeros_like(w)
    velocity_b = np.zeros_like(b)
    for _ in range(steps):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad = (probs - targets) * sample
        velocity_w = 0.9 * velocity_w + x.T @ grad + l2 * w
        velocity_b = 0.9 * velocity_b + grad.sum(axis=0)
        w -= learning_rate * velocity_w
        b -= learning_rate * velocity_b
    return LinearModel(classes, w, b, mean.astype(np.float32), scale.astype(np.float32))


def nearest_similarity(query: np.ndarray, bank: np.ndarray, k: int = 3) -> np.ndarray:
    """Mean cosine similarity of each query row to its k nearest rows of the bank (unit vectors)."""
    if bank.shape[0] == 0:
        return np.zeros(query.shape[0], dtype=np.float32)
    sims = query @ bank.T
    k = min(k, bank.shape[0])
    top = np.partition(sims, -k, axis=1)[:, -k:]
    return top.mean(axis=1)


def cache_key(*parts: bytes | str) -> str:
    """A key for cached training: the hashes of everything the result depends on."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def load_cached(cache_dir: Path | None, name: str, key: str) -> dict[str, np.ndarray] | None:
    """Arrays cached under this key, or None when there are none (or the file is unreadable)."""
    if cache_dir is None:
        return None
    path = cache_dir / f"{name}-{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable cache %s: %s", path, exc)
        return None


def save_cached(cache_dir: Path | None, name: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays atomically (another process may be reading the same cache)."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, cache_dir / f"{name}-{key}.npz")
    except OSError as exc:  # a read-only disk only costs start-up time
        log.warning("could not write the cache in %s: %s", cache_dir, exc)
