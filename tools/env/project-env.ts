/**
 * A project's environment: where it lives (`.venv` in the project folder), what it was built
 * with (recorded in `.venv/datastack-env.json` and, when the project has one, under
 * `environment:` in its datastack.yaml), and the dependencies the project declares.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { Manager } from './installer.js';

export const ENV_DIR = '.venv';
const RECORD_FILE = 'datastack-env.json';

export interface EnvRecord {
  manager: Manager;
  python: string;
  gpu: boolean;
  created: string;
  packages?: string[];
}

export interface Project {
  dir: string;
  display: string;
  envDir: string;
}

export function resolveProject(ctx: ToolContext, path: string): Project {
  const dir = ctx.workspace.resolve(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  const display = ctx.workspace.display(dir);
  if (!isDir) {
    throw new ToolError('not_found', `Project folder not found: ${display}`, {
      hint: 'Give the folder holding pyproject.toml or requirements.txt (`datastack init NAME` makes one)',
    });
  }
  return { dir, display, envDir: join(dir, ENV_DIR) };
}

export function readRecord(envDir: string): EnvRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(envDir, RECORD_FILE), 'utf8')) as EnvRecord;
  } catch {
    return undefined;
  }
}

/** The `environment:` block of the project's datastack.yaml, if any. */
export async function readDeclared(dir: string): Promise<Partial<EnvRecord>> {
  const file = join(dir, 'datastack.yaml');
  if (!existsSync(file)) return {};
  const { parse } = await import('yaml');
  try {
    const doc = parse(readFileSync(file, 'utf8')) as {
      environment?: Partial<EnvRecord>;
      project?: { python?: string };
    };
    return {
      ...(doc.project?.python ? { python: String(doc.project.python) } : {}),
      ...(doc.environment ?? {}),
    };
  } catch {
    return {};
  }
}

/** Writes the record into the environment, and its settings into datastack.yaml (comments kept). */
export async function writeRecord(project: Project, envDir: string, record: EnvRecord): Promise<void> {
  writeFileSync(join(envDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const file = join(project.dir, 'datastack.yaml');
  if (!existsSync(file)) return;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) return;
  doc.setIn(['environment', 'manager'], record.manager);
  doc.setIn(['environment', 'python'], record.python.split('.').slice(0, 2).join('.'));
  doc.setIn(['environment', 'gpu'], record.gpu);
  writeFileSync(file, doc.toString());
}

/** `>=3.11`, `~=3.10`, `==3.12.*` → the version it names; undefined for anything else. */
export function versionFromSpecifier(spec: string | null | undefined): string | undefined {
  const match = spec ? /(\d+\.\d+)/.exec(spec) : null;
  return match?.[1];
}
