"""Runs every test from the project root, so relative paths in the config resolve the same way."""
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _project_root(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
