/**
 * Writing a template's files: each layer of templates/projects/ is copied in order (later layers
 * win), `__package__` in a path becomes the package name, a leading `dot-` becomes `.` (npm
 * would drop a packaged `.gitignore`), and `*.tmpl` files are rendered with `{{key}}`
 * placeholders and lose the suffix. Everything else is copied byte for byte.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../core/errors.js';

export function templatesRoot(): string {
  const candidates = [
    new URL('../../templates/projects/', import.meta.url),
    new URL('../../../templates/projects/', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(join(path, '_common')));
  if (!found)
    throw new ToolError('internal', `Project templates are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Replaces every `{{key}}`; a placeholder without a value is a bug in the template. */
export function render(text: string, vars: Readonly<Record<string, string>>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined)
      throw new ToolError('internal', `Template ${file} uses {{${key}}}, which has no value`);
    return value;
  });
}

/** Copies the layers into `target` (which exists); returns the written paths, relative to it. */
export function writeLayers(
  layers: readonly string[],
  target: string,
  packageName: string,
  vars: Readonly<Record<string, string>>,
): string[] {
  const root = templatesRoot();
  const written = new Set<string>();
  for (const layer of layers) {
    const base = join(root, layer);
    for (const source of walk(base)) {
      const rel = relative(base, source);
      const isTemplate = rel.endsWith('.tmpl');
      const out = rel
        .split(sep)
        .map((part) => part.replace(/^dot-/, '.').replace(/__package__/g, packageName))
        .join(sep)
        .replace(/\.tmpl$/, '');
      const dest = join(target, out);
      mkdirSync(dirname(dest), { recursive: true });
      if (isTemplate) writeFileSync(dest, render(readFileSync(source, 'utf8'), vars, `${layer}/${rel}`));
      else copyFileSync(source, dest);
      written.add(out);
    }
  }
  return [...written].sort();
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}
