"""Text classification data: one text column and one label column."""
from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from .datasets import load_frame


def load_texts(config: dict[str, Any]) -> tuple[pd.Series, pd.Series]:
    data = config["data"]
    frame = load_frame(data["source"])
    for key in ("text_column", "target"):
        if data[key] not in frame.columns:
            raise KeyError(f"{key} {data[key]!r} is not in the data; columns: {', '.join(map(str, frame.columns))}")
    frame = frame.dropna(subset=[data["text_column"], data["target"]])
    return frame[data["text_column"]].astype(str), frame[data["target"]].astype(str)


def split(texts: pd.Series, labels: pd.Series, config: dict[str, Any]):
    counts = labels.value_counts()
    return train_test_split(
        texts,
        labels,
        test_size=config["data"].get("test_size", 0.2),
        random_state=config["seed"],
        stratify=labels if counts.min() >= 2 else None,
    )
