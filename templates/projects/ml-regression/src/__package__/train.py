"""Entry point: python -m <package>.train --config configs/experiment.yaml"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib
import pandas as pd

from .config import load_config
from .data import load_xy, split
from .metrics import regression_metrics
from .model import build_model
from .tracking import finish_run


def run(config_path: str | Path = "configs/experiment.yaml", output_dir: str | Path | None = None) -> dict[str, float]:
    config = load_config(config_path)
    features, target, numeric, categorical = load_xy(config)
    target = pd.to_numeric(target, errors="raise").astype("float64")
    x_train, x_test, y_train, y_test = split(features, target, config, stratify=False)
    model = build_model(config, numeric, categorical)
    model.fit(x_train, y_train)
    metrics = regression_metrics(y_test, model.predict(x_test))
    params = {"model": config["model"], "numeric_features": len(numeric), "categorical_features": len(categorical),
              "train_rows": len(x_train), "test_rows": len(x_test)}
    finish_run(config, metrics, params, lambda path: joblib.dump(model, path), output_dir)
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the baseline and write its metrics.")
    parser.add_argument("--config", default="configs/experiment.yaml", help="experiment YAML")
    parser.add_argument("--output-dir", default=None, help="write metrics and model here instead")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.config, args.output_dir), indent=2))


if __name__ == "__main__":
    main()
