/**
 * What the runner remembers between runs (`.datastack/pipelines/NAME/state.json`), like DVC's
 * stage cache: per stage, the fingerprint of its last successful run (command, params, code and
 * input contents) and the size and mtime of the outputs it left. A stage whose fingerprint is
 * unchanged and whose outputs are untouched is skipped. File hashes are cached by size and
 * mtime, so an unchanged big input is not read again.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { StageSpec } from './model.js';
import type { StageInvocation } from './stage-command.js';

export type StageStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface StageRecord {
  status: StageStatus;
  /** Of the last successful run (kept when a later run failed, so a fix is compared to it). */
  fingerprint?: string;
  outputs?: Record<string, FileStamp>;
  run_id: string;
  environment: 'local' | 'airflow';
  finished_at: string;
  duration_ms?: number;
  log?: string;
}

export interface PipelineState {
  stages: Record<string, StageRecord>;
  /** Content hashes by project-relative path, valid while size and mtime match. */
  hashes: Record<string, FileStamp & { sha256: string }>;
}

export function readState(file: string): PipelineState {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PipelineState>;
    return { stages: parsed.stages ?? {}, hashes: parsed.hashes ?? {} };
  } catch {
    return { stages: {}, hashes: {} };
  }
}

/** Written beside and renamed: a Ctrl-C mid-write never leaves a broken state file. */
export function writeState(file: string, state: PipelineState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

export function stampOf(path: string): FileStamp | undefined {
  try {
    const stat = statSync(path);
    return { size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

/** sha256 of a file (cached), or of a folder's listing and files; 'missing' when absent. */
export function contentHash(projectDir: string, path: string, state: PipelineState): string {
  const full = join(projectDir, path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return 'missing';
  }
  if (stat.isDirectory()) {
    const hash = createHash('sha256');
    for (const entry of readdirSync(full).sort())
      hash.update(`${entry}:${contentHash(projectDir, join(path, entry), state)}\n`);
    return hash.digest('hex');
  }
  const cached = state.hashes[path];
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.sha256;
  const sha256 = createHash('sha256').update(readFileSync(full)).digest('hex');
  state.hashes[path] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
  return sha256;
}

/** Everything a stage's result depends on: its command, params, code and input contents. */
export function stageFingerprint(
  projectDir: string,
  stage: StageSpec,
  invocation: StageInvocation,
  state: PipelineState,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([stage.kind, invocation.command, invocation.args, stage.params, stage.outputs]));
  if (stage.script) hash.update(`code:${contentHash(projectDir, stage.script, state)}`);
  for (const input of stage.inputs) hash.update(`in:${input}:${contentHash(projectDir, input, state)}`);
  return hash.digest('hex');
}

/** The outputs are where the last successful run left them, unchanged since. */
export function outputsIntact(
  projectDir: string,
  record: StageRecord | undefined,
  stage: StageSpec,
): boolean {
  if (!record?.outputs) return stage.outputs.length === 0;
  return stage.outputs.every((output) => {
    const now = stampOf(join(projectDir, output));
    const then = record.outputs?.[output];
    if (!now || !then) return false;
    // A folder's mtime says little of its files: existence is what is checked for folders.
    return (
      existsSync(join(projectDir, output)) &&
      (then.size === -1 || (now.size === then.size && now.mtimeMs === then.mtimeMs))
    );
  });
}

export function outputStamps(projectDir: string, stage: StageSpec): Record<string, FileStamp> {
  const stamps: Record<string, FileStamp> = {};
  for (const output of stage.outputs) {
    const full = join(projectDir, output);
    const stamp = stampOf(full);
    if (!stamp) continue;
    stamps[output] = statSync(full).isDirectory() ? { size: -1, mtimeMs: 0 } : stamp;
  }
  return stamps;
}
