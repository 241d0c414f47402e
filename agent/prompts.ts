/**
 * Prompts live as Markdown files in `prompts/` at the package root, loaded once. The system prompt
 * is `system.md`; long guidance is `guides/*.md` (offered as MCP prompts, and to the agent).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let promptsDir: string | undefined;

/** The package's prompts/ folder, found from here whether running from source or from dist/. */
export function findPromptsDir(): string {
  if (promptsDir) return promptsDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'prompts');
    if (existsSync(join(candidate, 'system.md'))) return (promptsDir = candidate);
    dir = dirname(dir);
  }
  throw new Error('prompts/system.md not found: the DataStack install is incomplete');
}

const cache = new Map<string, string>();

/** Reads `prompts/<name>.md` (name may include a folder: `guides/query-data`). */
export function loadPrompt(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(findPromptsDir(), `${name}.md`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export interface Guide {
  name: string;
  /** The first heading of the file. */
  title: string;
  /** The first paragraph after the heading. */
  description: string;
}

export function listGuides(): Guide[] {
  const dir = join(findPromptsDir(), 'guides');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -3);
      const lines = loadPrompt(`guides/${name}`).split('\n');
      const title = (lines.find((l) => l.startsWith('# ')) ?? name).replace(/^# /, '');
      const description = lines.find((l) => l.trim() && !l.startsWith('#')) ?? title;
      return { name, title, description: description.trim() };
    });
}
