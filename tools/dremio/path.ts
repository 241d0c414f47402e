/**
 * Dremio paths written as in Dremio SQL: segments joined by dots, quoted with double quotes when
 * they hold anything but letters, digits and underscores (`Samples."samples.dremio.com"."a.csv"`).
 * The catalog tools take and show paths this way so a path can be pasted into a query as it is.
 */
import { ToolError } from '../core/errors.js';

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseDremioPath(text: string): string[] {
  const segments: string[] = [];
  let i = 0;
  const n = text.length;
  const bad = (why: string) =>
    new ToolError('invalid_input', `Cannot read the Dremio path ${JSON.stringify(text)}: ${why}`, {
      hint: 'Write it as in Dremio SQL: Source.folder."file.csv" (double quotes around names with dots or spaces)',
    });
  while (i < n) {
    let segment = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= n) throw bad('a quote is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            segment += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        segment += text[i];
        i += 1;
      }
    } else {
      while (i < n && text[i] !== '.') {
        segment += text[i];
        i += 1;
      }
      segment = segment.trim();
    }
    if (segment === '') throw bad('a name is empty');
    segments.push(segment);
    if (i < n) {
      if (text[i] !== '.') throw bad(`unexpected ${JSON.stringify(text[i])} after a quoted name`);
      i += 1;
      if (i === n) throw bad('it ends with a dot');
    }
  }
  return segments;
}

export function formatDremioPath(segments: readonly string[]): string {
  return segments.map((s) => (PLAIN.test(s) ? s : `"${s.replace(/"/g, '""')}"`)).join('.');
}

/** The URL tail of `GET /api/v3/catalog/by-path/{path}`: each segment encoded on its own. */
export function byPathUrl(segments: readonly string[]): string {
  return `catalog/by-path/${segments.map(encodeURIComponent).join('/')}`;
}
