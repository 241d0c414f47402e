"""A small multilayer perceptron in PyTorch, and the tabular preprocessing in front of it."""
from __future__ import annotations

from typing import Any

import torch
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from torch import nn


def preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
            ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ],
        sparse_threshold=0.0,
    )


class MLP(nn.Module):
    def __init__(self, inputs: int, outputs: int, hidden: list[int], dropout: float) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = inputs
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU(), nn.Dropout(dropout)]
            width = size
        layers.append(nn.Linear(width, outputs))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def pick_device(setting: str = "auto") -> torch.device:
    if setting == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(setting)


def fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn: nn.Module, config: dict[str, Any]) -> list[float]:
    """Mini-batch Adam for `epochs`; returns the mean loss of each epoch."""
    settings = config["model"]
    generator = torch.Generator().manual_seed(config["seed"])
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.get("learning_rate", 1e-3),
                                 weight_decay=settings.get("weight_decay", 1e-4))
    batch = int(settings.get("batch_size", 64))
    losses = []
    model.train()
    for _ in range(int(settings.get("epochs", 60))):
        order = torch.randperm(len(x), generator=generator).to(x.device)
        total = 0.0
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x))
    model.eval()
    return losses
