"""Reads configs/experiment.yaml. Relative paths in it are relative to the project root."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def project_path(value: str | Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_config(path: str | Path = "configs/experiment.yaml") -> dict[str, Any]:
    with project_path(path).open(encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    if not isinstance(config, dict):
        raise ValueError(f"{path} must hold a mapping, not {type(config).__name__}")
    config.setdefault("name", "baseline")
    config.setdefault("seed", 42)
    for section in ("data", "model", "output"):
        config.setdefault(section, {})
    return config
