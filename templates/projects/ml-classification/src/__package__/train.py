"""Entry point: python -m <package>.train --config configs/experiment.yaml"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib

from .config import load_config
from .data import load_xy, split
from .metrics import classification_metrics
from .model import build_model
from .tracking import finish_run


def run(config_path: str | Path = "configs/experiment.yaml", output_dir: str | Path | None = None) -> dict[str, float]:
    config = load_config(config_path)
    features, target, numeric, categorical = load_xy(config)
    if target.nunique() < 2:
        raise ValueError(f"the target {config['data']['target']!r} has a single class: nothing to classify")
    x_train, x_test, y_train, y_test = split(features, target, config, stratify=True)
    model = build_model(config, numeric, categorical)
    model.fit(x_train, y_train)
    proba = model.predict_proba(x_test) if hasattr(model, "predict_proba") else None
    metrics = classification_metrics(y_test, model.predict(x_test), proba, list(model.classes_))
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
