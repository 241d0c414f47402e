"""Entry point: python -m <package>.train --config configs/experiment.yaml

Trains the MLP for classification (cross-entropy; accuracy, macro F1, ROC AUC) or regression
(mean squared error on a standardised target; RMSE, MAE, R²), as `data.task` says."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import torch
from torch import nn

from .config import load_config
from .data import load_xy, split
from .metrics import classification_metrics, regression_metrics
from .model import MLP, fit, pick_device, preprocessor
from .tracking import finish_run


def run(config_path: str | Path = "configs/experiment.yaml", output_dir: str | Path | None = None) -> dict[str, float]:
    config = load_config(config_path)
    torch.manual_seed(config["seed"])
    # Matrices this small train fastest on one thread: OpenMP hand-offs cost more than they save.
    torch.set_num_threads(int(config["model"].get("threads", 1)))
    task = config["data"].get("task", "classification")
    features, target, numeric, categorical = load_xy(config)
    x_train, x_test, y_train, y_test = split(features, target, config, stratify=task == "classification")
    prep = preprocessor(numeric, categorical).fit(x_train)
    device = pick_device(config["model"].get("device", "auto"))
    as_tensor = lambda a: torch.tensor(np.asarray(a, dtype="float32"), device=device)  # noqa: E731
    xt, xv = as_tensor(prep.transform(x_train)), as_tensor(prep.transform(x_test))
    hidden = list(config["model"].get("hidden", [64, 32]))
    dropout = float(config["model"].get("dropout", 0.1))

    if task == "classification":
        classes = sorted(pd.unique(target), key=str)
        index = {c: i for i, c in enumerate(classes)}
        yt = torch.tensor([index[c] for c in y_train], device=device)
        model = MLP(xt.shape[1], len(classes), hidden, dropout).to(device)
        losses = fit(model, xt, yt, nn.CrossEntropyLoss(), config)
        with torch.no_grad():
            proba = torch.softmax(model(xv), dim=1).cpu().numpy()
        predicted = [classes[i] for i in proba.argmax(axis=1)]
        metrics = classification_metrics(list(y_test), predicted, proba, classes)
    else:
        y_train = pd.to_numeric(y_train).astype("float64")
        mean, std = float(y_train.mean()), float(y_train.std()) or 1.0
        yt = as_tensor(((y_train - mean) / std).to_numpy()).reshape(-1, 1)
        model = MLP(xt.shape[1], 1, hidden, dropout).to(device)
        losses = fit(model, xt, yt, nn.MSELoss(), config)
        with torch.no_grad():
            predicted = model(xv).cpu().numpy().ravel() * std + mean
        metrics = regression_metrics(pd.to_numeric(y_test).astype("float64"), predicted)

    params = {"task": task, "model": config["model"], "device": str(device), "inputs": int(xt.shape[1]),
              "final_loss": losses[-1], "train_rows": len(x_train), "test_rows": len(x_test)}

    def save(path: Path) -> None:
        torch.save(model.state_dict(), path.with_suffix(".pt"))
        joblib.dump(prep, path.with_name("preprocessor.joblib"))

    finish_run(config, metrics, params, save, output_dir)
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the MLP and write its metrics.")
    parser.add_argument("--config", default="configs/experiment.yaml", help="experiment YAML")
    parser.add_argument("--output-dir", default=None, help="write metrics and model here instead")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.config, args.output_dir), indent=2))


if __name__ == "__main__":
    main()
