"""Writes and reads Iceberg tables for DataStack's iceberg_load_table and iceberg_query_table.

Why pyiceberg and not Spark: pyiceberg is a pip package with no JVM. It talks to the same Iceberg
REST catalog as our TypeScript client (Nessie's /iceberg on any branch, or any other REST
catalog), writes real Iceberg data and metadata (Parquet data files, manifests, a snapshot
committed atomically through the catalog), and scans tables at a snapshot with row filters and
column projection. It starts in about a second, where a local Spark session needs a JVM, the
Iceberg runtime jars and tens of seconds. Spark arrives with a later issue, for the jobs that
outgrow one machine; it will read and write these same tables.

Protocol: one JSON request on stdin, one JSON answer on stdout, progress as JSON lines on stderr
({"progress": {...}}); anything else on stderr is diagnostics. Secrets arrive on stdin, never
in argv or the environment. The answer is {"ok": true, ...} or {"ok": false, "error": {kind,
message}}, with kind one of DataStack's ToolError codes.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import traceback


def progress(done: int, message: str, total: int | None = None) -> None:
    update = {"done": done, "message": message}
    if total is not None:
        update["total"] = total
    sys.stderr.write(json.dumps({"progress": update}) + "\n")
    sys.stderr.flush()


class Failure(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def on_terminate(_signum, _frame) -> None:
    # DataStack sends SIGTERM on Ctrl-C or an abort: unwind through the clean-up in write(),
    # which a second signal must not interrupt.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Failure("aborted", "Cancelled")


def open_catalog(spec: dict):
    from pyiceberg.catalog.rest import RestCatalog

    props = {key: str(value) for key, value in spec["properties"].items() if value is not None}
    return RestCatalog(spec.get("name", "datastack"), **props)


def load_table(catalog, identifier: list[str]):
    return catalog.load_table(tuple(identifier))


def snapshot_info(table) -> dict:
    snap = table.current_snapshot()
    if snap is None:
        return {}
    summary = dict(snap.summary.additional_properties) if snap.summary else {}
    operation = snap.summary.operation.value if snap.summary else None
    return {
        "snapshot_id": snap.snapshot_id,
        "timestamp_ms": snap.timestamp_ms,
        "operation": operation,
        "summary": summary,
    }


def record_writes(table, catalog):
    """Records every file the write creates, and whether the commit request went out.

    Iceberg commits are atomic, so a failed commit changes no table; but the data files and
    manifests written before it would stay in the bucket, unreferenced. We delete them when the
    failure is certain (the catalog refused the commit, or it was never sent), and never when
    the commit's outcome is unknown: deleting files of a commit that did land would break the
    table.
    """
    written: list[str] = []
    state = {"commit_sent": False}
    original_new_output = table.io.new_output

    def new_output(location: str):
        written.append(location)
        if "/data/" in location:
            progress(sum("/data/" in w for w in written), "writing data files")
        return original_new_output(location)

    table.io.new_output = new_output
    original_commit = catalog.commit_table

    def commit_table(*args, **kwargs):
        state["commit_sent"] = True
        return original_commit(*args, **kwargs)

    catalog.commit_table = commit_table
    return written, state


def clean_up(table, written: list[str]) -> int:
    from pyiceberg.utils.concurrent import ExecutorFactory

    # Writes run on pyiceberg's thread pool: let those in flight finish, or a file could land
    # after it was deleted.
    ExecutorFactory.get_or_create().shutdown(wait=True, cancel_futures=True)
    removed = 0
    for location in written:
        try:
            table.io.delete(location)
            removed += 1
        except Exception:  # noqa: BLE001 - a file that was never fully written may not exist
            pass
    return removed


def batches_with_progress(parquet_file, total: int, label: str):
    done = 0
    for batch in parquet_file.iter_batches(batch_size=65536):
        done += batch.num_rows
        progress(done, label, total)
        yield batch


def write(request: dict) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyiceberg.exceptions import CommitFailedException

    catalog = open_catalog(request["catalog"])
    table = load_table(catalog, request["table"])
    source = pq.ParquetFile(request["file"])
    total = source.metadata.num_rows
    mode = request["mode"]
    label = "rows written" if mode == "append" else "rows written (overwrite)"
    if table.spec().is_unpartitioned():
        data = pa.RecordBatchReader.from_batches(
            source.schema_arrow, batches_with_progress(source, total, label)
        )
    else:
        # pyiceberg streams only into unpartitioned tables; a partitioned write is materialised.
        data = source.read()
        progress(total, "rows read", total)

    written, state = record_writes(table, catalog)
    before = table.current_snapshot()
    try:
        if mode == "overwrite":
            table.overwrite(data)
        else:
            table.append(data)
    except Exception as error:
        certain = isinstance(error, CommitFailedException) or not state["commit_sent"] or refused(error)
        if not certain:
            raise Failure(
                "unavailable",
                f"The commit's outcome is unknown ({type(error).__name__}: {error}); "
                "list the table's snapshots to see whether it landed",
            ) from error
        removed = clean_up(table, written)
        if removed:
            sys.stderr.write(f"removed {removed} staged file(s) after the failed write\n")
        raise

    table = load_table(catalog, request["table"])
    after = snapshot_info(table)
    return {
        "rows": total,
        "previous_snapshot_id": before.snapshot_id if before else None,
        **after,
    }


def refused(error: BaseException) -> bool:
    """True when the request never reached the server (so nothing can have been committed)."""
    text = f"{type(error).__name__}: {error}"
    return "Connection refused" in text or "NewConnectionError" in text


def scan(request: dict) -> dict:
    import pyarrow.parquet as pq
    from pyiceberg.expressions import AlwaysTrue

    catalog = open_catalog(request["catalog"])
    table = load_table(catalog, request["table"])
    # Ids travel as text (JavaScript numbers cannot hold 64 bits).
    snapshot_id = int(request["snapshot_id"]) if request.get("snapshot_id") is not None else None
    as_of_ms = request.get("as_of_ms")
    if snapshot_id is not None and table.snapshot_by_id(snapshot_id) is None:
        raise Failure("not_found", f"Snapshot {snapshot_id} is not in the table's metadata")
    if snapshot_id is None and as_of_ms is not None:
        snap = table.snapshot_as_of_timestamp(as_of_ms)
        if snap is None:
            raise Failure("not_found", "The table had no snapshot at that time")
        snapshot_id = snap.snapshot_id
    if snapshot_id is None and table.current_snapshot() is not None:
        snapshot_id = table.current_snapshot().snapshot_id

    options = {
        "row_filter": request.get("row_filter") or AlwaysTrue(),
        "selected_fields": tuple(request.get("columns") or ["*"]),
    }
    if snapshot_id is not None:
        options["snapshot_id"] = snapshot_id
    if request.get("limit") is not None:
        options["limit"] = request["limit"]
    try:
        reader = table.scan(**options).to_arrow_batch_reader()
    except ValueError as error:
        raise Failure("invalid_input", str(error)) from error

    rows = 0
    with pq.ParquetWriter(request["out"], reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
            progress(rows, "rows read")
    return {"rows": rows, "snapshot_id": snapshot_id}


def classify(error: BaseException) -> tuple[str, str]:
    from pyiceberg import exceptions as ice

    name = type(error).__name__
    text = str(error) or name
    if isinstance(error, Failure):
        return error.kind, text
    if isinstance(error, (ice.NoSuchTableError, ice.NoSuchNamespaceError)):
        return "not_found", text
    if isinstance(error, ice.CommitFailedException):
        return "conflict", f"The table changed while writing, nothing was committed: {text}"
    if isinstance(error, (ice.UnauthorizedError, ice.ForbiddenError)):
        return "unauthorized", text
    if isinstance(error, ice.BadRequestError):
        return ("not_found" if "NoSuchReference" in text or "not found" in text else "invalid_input"), text
    if isinstance(error, (ice.ServiceUnavailableError, ice.ServerError)):
        return "unavailable", text
    if isinstance(error, (ValueError, TypeError)) and "schema" in text.lower():
        return "invalid_input", text
    if "ConnectionError" in name or "Connection refused" in text or "NewConnectionError" in text:
        return "unavailable", f"The catalog could not be reached: {text}"
    if isinstance(error, OSError):
        return "unavailable", f"Object storage failed: {text}"
    if isinstance(error, ValueError):
        return "invalid_input", text
    return "internal", f"{name}: {text}"


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, on_terminate)
    try:
        request = json.load(sys.stdin)
        op = request.get("op")
        if op == "write":
            result = write(request)
        elif op == "scan":
            result = scan(request)
        elif op == "version":
            import pyarrow
            import pyiceberg

            result = {"pyiceberg": pyiceberg.__version__, "pyarrow": pyarrow.__version__}
        else:
            raise Failure("invalid_input", f"Unknown op {op!r}")
        result["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        json.dump({"ok": True, **result}, sys.stdout)
        return 0
    except BaseException as error:  # noqa: BLE001 - every failure becomes a JSON answer
        kind, message = classify(error)
        if kind == "internal":
            traceback.print_exc(file=sys.stderr)
        json.dump({"ok": False, "error": {"kind": kind, "message": message}}, sys.stdout)
        return 1


if __name__ == "__main__":
    sys.exit(main())
