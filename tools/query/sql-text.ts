/**
 * Just enough SQL lexing to split statements and find the file paths in a query, so relative paths
 * resolve against the workspace root whatever the process's folder is, and escapes are refused with
 * a clear error before DuckDB runs. DuckDB's own lock-down (see duckdb-client.ts) stays the real
 * boundary: a path this misses is still checked there.
 */

export interface Token {
  kind: 'word' | 'string' | 'ident' | 'punct' | 'other';
  /** Source text; for strings, the unescaped value. */
  text: string;
  start: number;
  end: number;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    const start = i;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i += 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (ch === "'" || ch === '"') {
      i += 1;
      let value = '';
      while (i < n) {
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += sql[i];
        i += 1;
      }
      tokens.push({ kind: ch === "'" ? 'string' : 'ident', text: value, start, end: i });
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0] ?? '$$';
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? n : close + tag.length;
      tokens.push({ kind: 'other', text: sql.slice(start, i), start, end: i });
    } else if (/[A-Za-z_]/.test(ch)) {
      while (i < n && /[A-Za-z0-9_$]/.test(sql[i] as string)) i += 1;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
    } else if ('(),;[]'.includes(ch)) {
      i += 1;
      tokens.push({ kind: 'punct', text: ch, start, end: i });
    } else {
      i += 1;
      tokens.push({ kind: 'other', text: ch, start, end: i });
    }
  }
  return tokens;
}

/** The statements of a script, without their `;` and without empty ones. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const token of tokenize(sql)) {
    if (token.kind === 'punct' && token.text === ';') {
      out.push(sql.slice(from, token.start));
      from = token.end;
    }
  }
  out.push(sql.slice(from));
  return out.filter((s) => tokenize(s).length > 0).map((s) => s.trim());
}

/** Table functions whose first argument (or list of them) is a file path or glob. */
const READERS = new Set([
  'read_csv',
  'read_csv_auto',
  'sniff_csv',
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_schema',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_ndjson_objects',
  'read_text',
  'read_blob',
  'glob',
]);

/** Functions with `FROM` inside their parentheses that is not a table. */
const FROM_FUNCTIONS = new Set(['trim', 'substring', 'extract', 'overlay']);

/** Words after which a string literal names a file to read. */
const READ_AFTER = new Set(['from', 'join', 'describe', 'summarize']);

export type PathMode = 'read' | 'write';

export interface PathLiteral {
  token: Token;
  mode: PathMode;
}

/** URLs and the like are left to DuckDB, which refuses them (no network, no httpfs). */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Words that end a FROM clause at their bracket level. */
const CLAUSE_ENDS = new Set([
  'select',
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'qualify',
  'window',
  'union',
  'except',
  'intersect',
  'returning',
  'set',
  'values',
  'to',
  'with',
]);

interface Frame {
  bracket: string;
  /** The function that opened this '(' ('' for other brackets and the top level). */
  fn: string;
  /** A ',' was seen at this level: we are past the first argument. */
  comma: boolean;
  /** 'from' while inside a FROM clause at this level. */
  clause: string;
}

export function findPathLiterals(sql: string): PathLiteral[] {
  const tokens = tokenize(sql);
  const found: PathLiteral[] = [];
  const stack: Frame[] = [{ bracket: '', fn: '', comma: false, clause: '' }];
  let statementStart = 0;
  for (let k = 0; k < tokens.length; k += 1) {
    const token = tokens[k] as Token;
    const prev = tokens[k - 1];
    const top = stack.at(-1) as Frame;
    if (token.kind === 'punct') {
      if (token.text === '(' || token.text === '[') {
        const fn = token.text === '(' && prev?.kind === 'word' ? prev.text.toLowerCase() : '';
        stack.push({ bracket: token.text, fn, comma: false, clause: '' });
      } else if ((token.text === ')' || token.text === ']') && stack.length > 1) {
        stack.pop();
      } else if (token.text === ',') {
        top.comma = true;
      } else if (token.text === ';') {
        stack.splice(0, stack.length, { bracket: '', fn: '', comma: false, clause: '' });
        statementStart = k + 1;
      }
      continue;
    }
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'from' || word === 'join') top.clause = 'from';
      else if (CLAUSE_ENDS.has(word)) top.clause = '';
      continue;
    }
    if (token.kind !== 'string' || SCHEME.test(token.text) || token.text === ':memory:' || token.text === '')
      continue;
    const mode = pathMode(tokens, k, statementStart, stack);
    if (mode) found.push({ token, mode });
  }
  return found;
}

function pathMode(
  tokens: Token[],
  k: number,
  statementStart: number,
  stack: readonly Frame[],
): PathMode | undefined {
  const prev = tokens[k - 1];
  const prevWord = prev?.kind === 'word' ? prev.text.toLowerCase() : '';
  const first = tokens[statementStart]?.text.toLowerCase() ?? '';
  const top = stack.at(-1) as Frame;
  const parent = stack.at(-2);
  if (!top.comma && READERS.has(top.fn)) return 'read';
  // A list of files as the first argument: every element.
  if (top.bracket === '[' && parent && !parent.comma && READERS.has(parent.fn)) return 'read';
  if (READ_AFTER.has(prevWord)) return prevWord === 'from' && FROM_FUNCTIONS.has(top.fn) ? undefined : 'read';
  // FROM 'a.csv', 'b.csv'
  if (prev?.text === ',' && top.clause === 'from' && !FROM_FUNCTIONS.has(top.fn)) return 'read';
  if (prevWord === 'to' && first === 'copy') return 'write';
  if (prevWord === 'database' && first === 'export') return 'write';
  if (prevWord === 'database' && first === 'import') return 'read';
  if (first === 'attach' && tokens.slice(statementStart, k).every((t) => t.kind === 'word')) return 'write';
  return undefined;
}

export interface RewrittenSql {
  sql: string;
  paths: Array<{ given: string; absolute: string; mode: PathMode }>;
}

/**
 * Replaces each file path literal with the absolute path `resolve` gives (which throws for an
 * escape), so DuckDB sees only absolute paths inside the workspace.
 */
export function rewritePaths(sql: string, resolve: (path: string) => string): RewrittenSql {
  const literals = findPathLiterals(sql);
  const paths: RewrittenSql['paths'] = [];
  let out = '';
  let from = 0;
  for (const { token, mode } of literals) {
    const absolute = resolve(token.text);
    paths.push({ given: token.text, absolute, mode });
    out += sql.slice(from, token.start) + `'${absolute.replace(/'/g, "''")}'`;
    from = token.end;
  }
  return { sql: out + sql.slice(from), paths };
}

/** Whether a path is a glob pattern rather than one file. */
export function isGlob(path: string): boolean {
  return /[*?[{]/.test(path);
}
