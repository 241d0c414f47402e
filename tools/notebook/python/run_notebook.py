"""Runs one notebook headless with nbclient, for `datastack notebook execute` and `generate --execute`.

Request (JSON on stdin): {"notebook": path, "timeout": seconds per cell, "save": bool}.
Answer (one JSON object on stdout): {"ok": true, "cells": n, "executed": n, "failure": {...} | null}
or {"ok": false, "error": {"kind": ..., "message": ...}}. Progress lines go to stderr as
{"progress": {...}}. The kernel runs in the notebook's folder, as Jupyter runs it.
"""
import json
import os
import re
import sys
import time

# The venv's own kernel spec (its python) before any user-wide "python3" spec.
os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def progress(done, total, message):
    print(json.dumps({"progress": {"done": done, "total": total, "message": message}}), file=sys.stderr, flush=True)


def failure_of(nb, index, fallback):
    """The first error output of cell `index` (or the exception text), ANSI colours removed."""
    cell = nb.cells[index] if index is not None and index < len(nb.cells) else None
    for output in (cell or {}).get("outputs", []):
        if output.get("output_type") == "error":
            traceback = ANSI.sub("", "\n".join(output.get("traceback", [])))
            return {
                "cell": index,
                "ename": output.get("ename", ""),
                "evalue": output.get("evalue", ""),
                "traceback": traceback[-4000:],
                "source": (cell.source or "")[:400],
            }
    return {
        "cell": index,
        "ename": type(fallback).__name__,
        "evalue": ANSI.sub("", str(fallback))[-2000:],
        "traceback": "",
        "source": ((cell.source if cell else "") or "")[:400],
    }


def main():
    request = json.load(sys.stdin)
    path = request["notebook"]
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # a file that is not a valid notebook is bad input, not a crash
        print(json.dumps({"ok": False, "error": {"kind": "invalid_input", "message": f"Not a valid notebook: {error}"[:1000]}}))
        return
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    total = len(code_cells)
    state = {"current": None, "done": 0}

    def on_cell_execute(cell, cell_index, **_):
        state["current"] = cell_index
        progress(state["done"], total, f"running cell {code_cells.index(cell_index) + 1}/{total}")

    def on_cell_executed(cell, cell_index, execute_reply=None, **_):
        if (execute_reply or {}).get("content", {}).get("status") != "error":
            state["done"] += 1

    client = NotebookClient(
        nb,
        timeout=request.get("timeout", 600),
        startup_timeout=120,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
    )
    failure = None
    started = time.time()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        failure = failure_of(nb, state["current"], error)
    finally:
        if request.get("save", True):
            nbformat.write(nb, path)
    print(
        json.dumps(
            {
                "ok": True,
                "cells": total,
                "executed": state["done"],
                "failure": failure,
                "seconds": round(time.time() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
