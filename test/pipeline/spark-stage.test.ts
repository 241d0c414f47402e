/**
 * A spark stage goes through the Spark toolset's `spark submit` (real spark-submit, local mode,
 * the profile's session settings): the job's argument reaches it and its output is kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineRun } from '../../tools/pipeline/run-pipeline.js';
import { call } from '../helpers/call.js';
import { contextFor, makeWorkspace } from '../helpers/workspace.js';

describe('spark stages', () => {
  const ws = makeWorkspace({
    'jobs/count.py': [
      'import sys',
      'from pyspark.sql import SparkSession',
      'spark = SparkSession.builder.getOrCreate()',
      'open("out/count.txt", "w").write(str(spark.range(int(sys.argv[1])).filter("id % 2 = 0").count()))',
    ].join('\n'),
    'pipelines/spark.yaml': [
      'name: spark',
      'stages:',
      '  - name: count',
      '    kind: spark',
      '    script: jobs/count.py',
      '    args: ["1000"]',
      '    outputs: [out/count.txt]',
    ].join('\n'),
  });
  afterAll(() => ws.cleanup());

  it('submits the PySpark file with its arguments', async () => {
    const out = await call<{ status: string }>(pipelineRun, { pipeline: 'spark' }, await contextFor(ws.root));
    expect(out.status).toBe('succeeded');
    expect(readFileSync(join(ws.root, 'out/count.txt'), 'utf8')).toBe('500');
  }, 600_000);
});
