"""A time series: one numeric target indexed by the time column, sorted, one value per time."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .datasets import load_frame

# Seasonal period by pandas frequency: a year of months, a week of days, a day of hours...
SEASONS = {"MS": 12, "ME": 12, "M": 12, "SMS": 24, "W": 52, "D": 7, "B": 5, "h": 24, "H": 24,
           "QS": 4, "QE": 4, "Q": 4, "min": 60, "T": 60, "YS": 1, "YE": 1, "Y": 1, "A": 1}


def load_series(config: dict[str, Any]) -> pd.Series:
    data = config["data"]
    frame = load_frame(data["source"])
    for key in ("time_column", "target"):
        if data[key] not in frame.columns:
            raise KeyError(f"{key} {data[key]!r} is not in the data; columns: {', '.join(map(str, frame.columns))}")
    times = pd.to_datetime(frame[data["time_column"]], errors="coerce")
    values = pd.to_numeric(frame[data["target"]], errors="coerce")
    series = pd.Series(values.to_numpy(dtype="float64"), index=pd.DatetimeIndex(times), name=data["target"])
    series = series[series.index.notna()].dropna()
    # Several rows at one time (several stores, sensors...) are averaged into one value.
    return series.groupby(level=0).mean().sort_index()


def season_length(series: pd.Series, configured: Any = "auto") -> int:
    if configured not in (None, "auto"):
        return int(configured)
    freq = pd.infer_freq(series.index[: min(len(series), 500)]) if len(series) >= 3 else None
    if freq is None:
        return 1
    base = re.sub(r"^\d+", "", freq.split("-")[0])
    return SEASONS.get(base, 1)
