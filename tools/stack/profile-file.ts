/**
 * `stack up` points a `stack` profile of the project's datastack.yaml at the services it runs.
 * It edits through yaml's Document API so the rest of the file, comments included, stays as the
 * user wrote it; only the fields the services own are set.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PROJECT_CONFIG_FILE, type ResolvedConfig } from '../core/config.js';
import { ToolError } from '../core/errors.js';
import type { ProfileFragment } from './service.js';

export const STACK_PROFILE = 'stack';

/** The project's datastack.yaml: the one the config was read from, else one at the root. */
export function projectConfigPath(config: Pick<ResolvedConfig, 'files' | 'root'>): string {
  return (
    config.files.find((file) => basename(file) === PROJECT_CONFIG_FILE) ??
    join(config.root, PROJECT_CONFIG_FILE)
  );
}

const HEADER =
  ' DataStack project configuration. `datastack stack up` keeps the "stack" profile in step with\n the local services; use it with `datastack --profile stack …` or DATASTACK_PROFILE=stack.';

/** Sets `profiles.<profile>.<section>.<field>` for every field given; returns whether the file changed. */
export async function writeProfile(
  path: string,
  fragment: ProfileFragment,
  profile = STACK_PROFILE,
): Promise<boolean> {
  // yaml loads only when a profile is written: tool modules stay cheap to import.
  const { Document, isMap, parseDocument } = await import('yaml');
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const doc = before === undefined ? new Document({}) : parseDocument(before);
  if (doc.errors.length > 0) {
    throw new ToolError('config', `Cannot update ${path}: ${doc.errors[0]?.message}`, {
      hint: 'Fix the YAML syntax in that file, then run `datastack stack up` again',
    });
  }
  if (before === undefined) doc.commentBefore = HEADER;
  // An empty file parses to a null document: start a map there.
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  for (const [section, fields] of Object.entries(fragment)) {
    for (const [field, value] of Object.entries(fields)) {
      const key = ['profiles', profile, section, field];
      // Maps (stack.ports) are merged field by field so other keys the user set survive.
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [sub, subValue] of Object.entries(value)) doc.setIn([...key, sub], subValue);
      } else doc.setIn(key, value);
    }
  }
  const after = doc.toString();
  if (after === before) return false;
  writeFileSync(path, after);
  return true;
}
