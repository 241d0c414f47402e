"""Loads the dataset named by `data.source` in the config:

- `sklearn:<name>`: a dataset bundled inside scikit-learn (iris, wine, breast_cancer, diabetes, digits)
- `package:<file>`: a CSV shipped inside this package (src/<package>/resources/)
- a path (CSV, TSV, Parquet, JSON or JSON lines), relative to the project root, e.g. data/raw/sales.csv
"""
from __future__ import annotations

from importlib import resources

import pandas as pd

from .config import project_path


def load_frame(source: str) -> pd.DataFrame:
    if source.startswith("sklearn:"):
        from sklearn import datasets

        name = source.split(":", 1)[1]
        loader = getattr(datasets, f"load_{name}", None)
        if loader is None:
            raise ValueError(f"scikit-learn bundles no dataset called {name!r}")
        return loader(as_frame=True).frame
    if source.startswith("package:"):
        resource = resources.files(__package__).joinpath("resources", source.split(":", 1)[1])
        with resource.open("rb") as f:
            return pd.read_csv(f)
    path = project_path(source)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: copy the dataset there, or fetch it with `dvc pull` if it is tracked by DVC"
        )
    name = path.name.lower().removesuffix(".gz").removesuffix(".zst")
    if name.endswith(".parquet"):
        return pd.read_parquet(path)
    if name.endswith((".jsonl", ".ndjson")):
        return pd.read_json(path, lines=True)
    if name.endswith(".json"):
        try:
            return pd.read_json(path)
        except ValueError:
            return pd.read_json(path, lines=True)
    if name.endswith(".tsv"):
        return pd.read_csv(path, sep="\t")
    return pd.read_csv(path)
