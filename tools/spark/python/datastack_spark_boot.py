"""DataStack's driver bootstrap: `spark-submit datastack_spark_boot.py JOB.py ARGS...`.

It opens the Spark session before the job does, so that
  * secrets reach the executors through the environment (spark.executorEnv.*, set here from
    this process's environment, never on a command line or in a log);
  * DataStack learns the application id and the driver UI address (one marker line on stderr);
then runs the job file as __main__, whose SparkSession.builder.getOrCreate() gets this session.
"""
import json
import os
import runpy
import sys

from pyspark.sql import SparkSession

MARKER = "[datastack-spark] "


def main() -> None:
    if len(sys.argv) < 2:
        sys.stderr.write("usage: datastack_spark_boot.py JOB.py [ARGS...]\n")
        sys.exit(2)
    job = sys.argv[1]
    builder = SparkSession.builder
    for name in filter(None, os.environ.get("DATASTACK_SPARK_EXECUTOR_ENV", "").split(",")):
        if name in os.environ:
            builder = builder.config(f"spark.executorEnv.{name}", os.environ[name])
    token = os.environ.pop("DATASTACK_CATALOG_TOKEN", None)
    if token:
        builder = builder.config("spark.sql.catalog.lake.token", token)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sys.stderr.write(
        MARKER + json.dumps({"app_id": sc.applicationId, "ui_url": sc.uiWebUrl, "master": sc.master}) + "\n"
    )
    sys.stderr.flush()
    sys.argv = [job, *sys.argv[2:]]
    sys.path.insert(0, os.path.dirname(os.path.abspath(job)))
    runpy.run_path(job, run_name="__main__")


if __name__ == "__main__":
    main()
