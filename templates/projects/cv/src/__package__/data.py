"""Images as rows of pixels: every column but the label is one pixel, in row-major order, and
`data.image_shape` says how they fold back into an image (8x8 for scikit-learn's digits)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .datasets import load_frame


def load_images(config: dict[str, Any]) -> tuple[np.ndarray, pd.Series, tuple[int, int]]:
    data = config["data"]
    frame = load_frame(data["source"])
    target = data["target"]
    if target not in frame.columns:
        raise KeyError(f"target column {target!r} is not in the data; columns: {', '.join(map(str, frame.columns))}")
    frame = frame.dropna(subset=[target])
    columns = list(data.get("pixel_columns") or [c for c in frame.columns if c != target])
    pixels = frame[columns].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    shape = tuple(data.get("image_shape") or ())
    if not shape:
        side = math.isqrt(pixels.shape[1])
        shape = (side, side) if side * side == pixels.shape[1] else (1, pixels.shape[1])
    if shape[0] * shape[1] != pixels.shape[1]:
        raise ValueError(f"image_shape {list(shape)} does not hold {pixels.shape[1]} pixel columns")
    peak = pixels.max()
    return (pixels / peak if peak > 0 else pixels), frame[target], (int(shape[0]), int(shape[1]))


def shifted(images: np.ndarray, labels: pd.Series, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The training images plus copies moved one pixel up, down, left and right."""
    grid = images.reshape(-1, *shape)
    copies = [grid]
    for axis, step in ((1, 1), (1, -1), (2, 1), (2, -1)):
        moved = np.roll(grid, step, axis=axis)
        edge = 0 if step == 1 else -1
        if axis == 1:
            moved[:, edge, :] = 0
        else:
            moved[:, :, edge] = 0
        copies.append(moved)
    return np.concatenate(copies).reshape(-1, shape[0] * shape[1]), np.tile(np.asarray(labels), len(copies))


def split(images: np.ndarray, labels: pd.Series, config: dict[str, Any]):
    counts = labels.value_counts()
    return train_test_split(
        images,
        labels,
        test_size=config["data"].get("test_size", 0.2),
        random_state=config["seed"],
        stratify=labels if counts.min() >= 2 else None,
    )
