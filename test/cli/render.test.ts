/** Human rendering of tool outputs, and the stderr progress renderer. */
import { describe, expect, it } from 'vitest';
import { createProgressRenderer, progressLine } from '../../agent/cli/progress.js';
import { renderHuman, renderJson, renderTable, sanitize } from '../../agent/cli/render.js';

const wide = { width: Number.POSITIVE_INFINITY };

describe('renderHuman', () => {
  it('prints arrays of objects as aligned tables and scalars as key/value lines, in schema order', () => {
    const text = renderHuman(
      {
        datasets: [
          { path: 'data/sales.csv', format: 'csv', bytes: 1200 },
          { path: 'x.parquet', format: 'parquet', bytes: 7 },
        ],
        total: 2,
        truncated: false,
      },
      wide,
    );
    expect(text).toBe(
      [
        'datasets (2):',
        'PATH            FORMAT   BYTES',
        'data/sales.csv  csv       1200',
        'x.parquet       parquet      7',
        '',
        'total:     2',
        'truncated: false',
        '',
      ].join('\n'),
    );
  });

  it('renders empty and scalar arrays, nested objects and multi-line text', () => {
    const text = renderHuman(
      { tags: [], names: ['a', 'b'], stats: { min: 1, max: 9 }, sql: 'select 1\nfrom t' },
      wide,
    );
    expect(text).toBe(
      [
        'tags:  (none)',
        'names: a, b',
        '',
        'stats:',
        '  min: 1',
        '  max: 9',
        '',
        'sql:',
        '  select 1',
        '  from t',
        '',
      ].join('\n'),
    );
  });

  it('cuts wide cells so every line fits the terminal', () => {
    const rows = [{ id: 1, text: 'x'.repeat(200), other: 'y'.repeat(50) }];
    const lines = renderTable(rows, { width: 60 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[1]).toContain('…');
    expect(lines[1]?.startsWith(' 1  ')).toBe(true);
  });

  it('rounds fractions for people, not integers', () => {
    expect(renderHuman({ std: 0.7071067811865476, tiny: 0.0000123456, big: 123456789 }, wide)).toBe(
      'std:  0.7071\ntiny: 0.0000123\nbig:  123456789\n',
    );
  });

  it('switches to one block per row when the columns cannot fit', () => {
    const row = { name: 'amount', type: 'DOUBLE', null_count: 0, distinct: 1000, quantiles: { p50: 3 } };
    const text = renderTable([row, { ...row, name: 'region' }], { width: 30 });
    expect(text.split('\n').slice(0, 7)).toEqual([
      '[1]',
      '  name:       amount',
      '  type:       DOUBLE',
      '  null_count: 0',
      '  distinct:   1000',
      '  quantiles:  p50=3',
      '[2]',
    ]);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('shows objects inside cells as key=value pairs and blanks for null', () => {
    const rows = [{ a: { b: 1.23456, c: 'x' }, top: [{ value: 'n', count: 2 }], d: null }];
    expect(renderTable(rows, wide).split('\n')).toEqual([
      `${'A'.padEnd(12)}  ${'TOP'.padEnd(17)}  D`,
      'b=1.2346 c=x  (value=n count=2)',
    ]);
  });
});

describe('sanitize', () => {
  it('strips escape sequences and control characters from data', () => {
    expect(sanitize('\u001b[31mred\u001b[0m\u0007 ok', false)).toBe('red ok');
    expect(sanitize('a\nb\tc', false)).toBe('a b c');
    expect(sanitize('a\nb', true)).toBe('a\nb');
  });
});

describe('renderJson', () => {
  it('writes bigints as numbers when safe, else as strings', () => {
    expect(JSON.parse(renderJson({ a: 5n, b: 2n ** 70n }))).toEqual({ a: 5, b: '1180591620717411303424' });
  });
});

describe('progress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    let written = '';
    const progress = createProgressRenderer({ write: (t: string) => (written += t), isTTY: false });
    progress.report({ done: 1, total: 2 });
    progress.stop();
    expect(written).toBe('');
  });

  it('draws a bar on a terminal, throttled, and clears it on stop', () => {
    let written = '';
    let now = 1000;
    const progress = createProgressRenderer(
      { write: (t: string) => (written += t), isTTY: true, columns: 120 },
      () => now,
    );
    progress.report({ done: 10, total: 100, message: 'rows' });
    progress.report({ done: 20, total: 100 }); // within 80ms: skipped
    now += 100;
    progress.report({ done: 100, total: 100 });
    expect(written).toContain('10% 10/100 rows');
    expect(written).not.toContain('20/100');
    expect(written).toContain('100% 100/100');
    progress.stop();
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('formats a spinner line when the total is unknown', () => {
    expect(progressLine({ done: 12345, message: 'files' }, '*')).toBe('* 12,345 files');
    expect(progressLine({ done: 5, total: 10 }, '*')).toBe('[██████████──────────] 50% 5/10');
  });
});
