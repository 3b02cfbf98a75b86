"""Multinomial logistic regression over sentence embeddings, in NumPy (no scikit-learn).

Features are standardised (mean and scale kept with the weights); training minimises the
mean cross-entropy plus l2/2 * |W|^2 by accelerated gradient descent with a fixed step
1/L (L bounds the Hessian, so it converges on this convex problem) and adaptive restart.
Deterministic: no random initialisation.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

HEAD_FILE = "quadclass_head.npz"
QUADS = np.array([1, 2, 3, 4])  # QuadClass labels; a head's class 0 (statements) counts as QuadClass 1


def default_head_path():
    """The shipped head: tocsin/learned/data/quadclass_head.npz (a Traversable)."""
    return resources.files("tocsin.learned").joinpath("data", HEAD_FILE)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class QuadHead:
    """P(class | embedding) for a fixed list of class labels (QuadClass 1-4 when shipped)."""

    def __init__(self, classes, weights, bias, mean, scale, meta: dict | None = None):
        self.classes = np.asarray(classes)
        self.weights = np.asarray(weights, dtype=np.float64)  # (d, k)
        self.bias = np.asarray(bias, dtype=np.float64)  # (k,)
        self.mean = np.asarray(mean, dtype=np.float64)  # (d,)
        self.scale = np.asarray(scale, dtype=np.float64)  # (d,)
        self.meta = dict(meta or {})

    # -- inference -------------------------------------------------------------------------
    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """(n, k) probabilities, columns in the order of `classes`."""
        return softmax(self.logits(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.classes[self.predict_proba(x).argmax(axis=1)]

    def quad_proba(self, x: np.ndarray) -> np.ndarray:
        """(n, 4) P(QuadClass 1..4): the columns of classes 0 and 1 are summed into QuadClass 1."""
        p = self.predict_proba(x)
        out = np.zeros((p.shape[0], len(QUADS)))
        for j, label in enumerate(self.classes.tolist()):
            out[:, max(1, int(label)) - 1] += p[:, j]
        return out

    # -- training --------------------------------------------------------------------------
    @classmethod
    def fit(cls, x: np.ndarray, y, l2: float = 1e-2, classes=None, max_iter: int = 3000,
            tol: float = 1e-5, meta: dict | None = None) -> "QuadHead":
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y)
        classes = np.asarray(sorted(set(y.tolist())) if classes is None else classes)
        n, d = x.shape
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-8] = 1.0
        xs = (x - mean) / scale
        onehot = (y[:, None] == classes[None, :]).astype(np.float64)
        k = len(classes)
        # Lipschitz bound of the gradient: the softmax Hessian is at most 1/2 in each direction
        augmented = np.hstack([xs, np.ones((n, 1))])
        lipschitz = 0.5 * np.linalg.eigvalsh(augmented.T @ augmented)[-1] / n + l2
        step = 1.0 / lipschitz

        def loss_grad(w, b):
            p = softmax(xs @ w + b)
            loss = -np.sum(onehot * np.log(p + 1e-12)) / n + 0.5 * l2 * np.sum(w * w)
            r = (p - onehot) / n
            return loss, xs.T @ r + l2 * w, r.sum(axis=0)

        w = np.zeros((d, k))
        b = np.zeros(k)
        w_prev, b_prev = w, b
        t = 1.0
        previous = np.inf
        iterations = 0
        for iterations in range(1, max_iter + 1):
            momentum = (t - 1.0) / (t + 2.0)
            vw, vb = w + momentum * (w - w_prev), b + momentum * (b - b_prev)
            loss, gw, gb = loss_grad(vw, vb)
            w_prev, b_prev = w, b
            w, b = vw - step * gw, vb - step * gb
            t += 1.0
            if loss > previous:  # adaptive restart keeps the accelerated method monotone-ish
                t = 1.0
            previous = loss
            if max(np.abs(gw).max(), np.abs(gb).max()) < tol:
                break
        info = {"l2": l2, "iterations": iterations, "train_loss": float(loss)}
        return cls(classes, w, b, mean, scale, {**info, **(meta or {})})

    # -- persistence -----------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            path, classes=self.classes, weights=self.weights, bias=self.bias, mean=self.mean, scale=self.scale,
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )

    @classmethod
    def load(cls, path=None) -> "QuadHead":
        """Load a head saved by `save` (default: the shipped one)."""
        source = default_head_path() if path is None else Path(path)
        with source.open("rb") as f:
            data = np.load(f, allow_pickle=False)
            return cls(data["classes"], data["weights"], data["bias"], data["mean"], data["scale"],
                       json.loads(str(data["meta"])))
