"""query_sql on Spark: `datastack_sql.py REQUEST.json ANSWER.json`, run through the bootstrap.

The request holds the statements, the row cap and an optional result file; the answer has the
schema, the row count and the first rows as JSON-safe values (query_sql's shape).
"""
import datetime
import decimal
import glob
import json
import os
import shutil
import sys

from pyspark.sql import SparkSession

SAFE_INT = 2**53


def plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return value if abs(value) < SAFE_INT else str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "asDict"):
        return plain(value.asDict())
    return str(value)


def save(df, fmt, target):
    staging = target + ".parts"
    writer = df.coalesce(1).write.mode("overwrite")
    (writer.option("header", "true").csv if fmt == "csv" else writer.parquet)(staging)
    part = sorted(glob.glob(os.path.join(staging, "part-*")))[0]
    shutil.move(part, target)
    shutil.rmtree(staging, ignore_errors=True)


def main():
    request = json.load(open(sys.argv[1]))
    spark = SparkSession.builder.getOrCreate()
    statements = request["statements"]
    for statement in statements[:-1]:
        spark.sql(statement).collect()
    df = spark.sql(statements[-1])
    if request.get("save_as"):
        df = df.cache()
        save(df, request["save_as"], request["result_file"])
    count = df.count()
    rows = df.limit(request["max_rows"]).collect()
    answer = {
        "columns": [{"name": f.name, "type": f.dataType.simpleString().upper()} for f in df.schema.fields],
        "row_count": count,
        "rows": [{k: plain(v) for k, v in row.asDict().items()} for row in rows],
    }
    with open(sys.argv[2], "w") as out:
        json.dump(answer, out)


if __name__ == "__main__":
    main()
