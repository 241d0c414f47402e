// Upload of one big file to the same local S3 server (moto, started by `datastack stack up s3`):
// `datastack s3 upload` against `aws s3 cp` (PyPI awscli, installed into a venv of its own on
// first use), interleaved. Prints the throughput ratio (goal ≥ 1.0x) and our peak RSS against the
// bound part size × concurrency. BENCH_S3_MIB sets the file size (default 512), BENCH_S3_RUNS the
// rounds (default 5), BENCH_S3_PORT the server's port (default 19070).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';

const MIB = 1024 * 1024;
const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const sizeMib = Number(process.env.BENCH_S3_MIB ?? 512);
const runs = Number(process.env.BENCH_S3_RUNS ?? 5);
const port = Number(process.env.BENCH_S3_PORT ?? 19070);
/** Our defaults (tools/s3/upload-files.ts); BENCH_S3_PART_MIB / BENCH_S3_CONCURRENCY try others. */
const PART_MIB = Number(process.env.BENCH_S3_PART_MIB ?? 8);
const CONCURRENCY = Number(process.env.BENCH_S3_CONCURRENCY ?? 4);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * MIB, ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout || '').slice(0, 600)}`,
    );
  }
  return result.stdout;
}

/** Runs a command under /usr/bin/time -v: wall ms and peak RSS (MiB) of the child. */
function measured(command, args, options) {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
    ...options,
  });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${command} exited ${result.status}: ${result.stderr.slice(-800)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024;
  return { ms, rss };
}

/** awscli in ~/.cache/datastack/bench-venv, installed from PyPI the first time. */
function awsCli() {
  const venv = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'datastack', 'bench-venv');
  const aws = join(venv, 'bin', 'aws');
  if (!existsSync(aws)) {
    console.error(`installing awscli into ${venv} …`);
    run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', 'awscli']);
  }
  return aws;
}

/** Empties moto (`POST /moto-api/reset`) and creates the bucket again (moto checks no signature). */
async function resetServer(endpoint, bucket) {
  for (const [method, path] of [
    ['POST', '/moto-api/reset'],
    ['PUT', `/${bucket}`],
  ]) {
    const answer = await fetch(`${endpoint}${path}`, { method });
    if (!answer.ok) throw new Error(`${method} ${path}: HTTP ${answer.status}`);
  }
}

function writeRandomFile(path, mib) {
  const fd = openSync(path, 'w');
  const block = randomBytes(MIB);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32BE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}

export async function s3Upload() {
  if (!existsSync(bin)) throw new Error('Build first: npm run build');
  const aws = awsCli();
  const awsVersion = run(aws, ['--version']).trim() || 'aws';
  const dir = mkdtempSync(join(tmpdir(), 'datastack-bench-s3-'));
  writeFileSync(
    join(dir, 'datastack.yaml'),
    `profile: local\nprofiles:\n  local:\n    stack:\n      ports:\n        s3: ${port}\n`,
  );
  const cli = (args, extra = {}) => run(process.execPath, [bin, ...args], { cwd: dir, ...extra });
  let started = false;
  try {
    const up = JSON.parse(cli(['stack', 'up', 's3', '--json']));
    started = up.services?.some((s) => s.name === 's3' && s.state === 'started');
    // The bench wipes the server between uploads: only ever one it started itself.
    if (!started)
      throw new Error(`An S3 server already runs on port ${port}: choose another with BENCH_S3_PORT`);
    const endpoint = `http://127.0.0.1:${port}`;
    const file = join(dir, 'big.bin');
    writeRandomFile(file, sizeMib);
    const bucket = `bench-${randomBytes(3).toString('hex')}`;
    await resetServer(endpoint, bucket);

    const awsEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    };
    const cases = {
      'datastack s3 upload': (n) =>
        measured(
          process.execPath,
          [
            bin,
            '--profile',
            'stack',
            's3',
            'upload',
            'big.bin',
            bucket,
            `ours-${n}`,
            '--part-size-mib',
            String(PART_MIB),
            '--concurrency',
            String(CONCURRENCY),
            '--json',
          ],
          { cwd: dir },
        ),
      [`aws s3 cp (${awsVersion.split(' ')[0]})`]: (n) =>
        measured(
          aws,
          ['s3', 'cp', '--only-show-errors', '--endpoint-url', endpoint, file, `s3://${bucket}/aws-${n}`],
          {
            cwd: dir,
            env: awsEnv,
          },
        ),
    };
    const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, { ms: [], rss: [] }]));
    for (let round = 0; round < runs + 1; round++) {
      for (const [name, once] of Object.entries(cases)) {
        const { ms, rss } = once(round);
        // The first round warms the server, the page cache and both runtimes.
        if (round > 0) {
          samples[name].ms.push(ms);
          samples[name].rss.push(rss);
        }
        // moto keeps every object in memory: wipe it (this server is the bench's own) so each
        // upload meets the same empty server.
        await resetServer(endpoint, bucket);
      }
    }

    // What the CLI holds before moving a byte (Node, the SDK, the registry): the rest is the upload's.
    const baseline = measured(process.execPath, [bin, '--profile', 'stack', 's3', 'list-buckets', '--json'], {
      cwd: dir,
    }).rss;
    const [ours, peer] = Object.keys(cases);
    const rate = (name) => sizeMib / (median(samples[name].ms) / 1000);
    const ratio = rate(ours) / rate(peer);
    const peak = Math.max(...samples[ours].rss);
    const bound = PART_MIB * CONCURRENCY;
    console.log(`\nS3 upload of ${sizeMib} MiB to moto at ${endpoint} (median of ${runs}, interleaved)`);
    for (const name of Object.keys(cases)) {
      const s = samples[name];
      console.log(
        `  ${name.padEnd(36)} ${rate(name).toFixed(1).padStart(7)} MiB/s  ${(median(s.ms) / 1000).toFixed(2).padStart(6)} s  peak RSS ${Math.max(
          ...s.rss,
        )
          .toFixed(0)
          .padStart(4)} MiB`,
      );
    }
    console.log(`  throughput ratio ours / aws: ${ratio.toFixed(2)}x ${ratio >= 1 ? '✓' : '✗'} goal ≥ 1.0x`);
    console.log(
      `  our peak RSS ${peak.toFixed(0)} MiB = ${baseline.toFixed(0)} MiB at rest (\`s3 list-buckets\`) + ${(peak - baseline).toFixed(0)} MiB for the upload; part size × concurrency = ${PART_MIB} MiB × ${CONCURRENCY} = ${bound} MiB (${((peak - baseline) / bound).toFixed(1)}x)`,
    );
    return { ratio, peakRssMib: peak, baselineRssMib: baseline, boundMib: bound };
  } finally {
    try {
      if (started) cli(['stack', 'down', 's3', '--yes']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await s3Upload();
