/** Config generation pieces, validation and the missing-Embulk errors: no JVM needed. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../tools/embulk/build-config.js';
import { configProblems } from '../../tools/embulk/config-file.js';
import { installEmbulk, isInstalled, PLUGINS_POM, RUNTIME_POM } from '../../tools/embulk/install.js';
import { parsePreviewTable } from '../../tools/embulk/preview-config.js';
import { countCsvRecords } from '../../tools/embulk/run-embulk.js';
import { errorLines, execEmbulk } from '../../tools/embulk/runner.js';
import { embulkColumn, parserFromSniff } from '../../tools/embulk/sniff.js';
import { embulkValidate } from '../../tools/embulk/validate-config.js';
import { call } from '../helpers/call.js';
import { contextFor, makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

const SNIFFED = {
  Delimiter: ';',
  Quote: '(empty)',
  Escape: '(empty)',
  NewLineDelimiter: '\\r\\n',
  SkipRows: 0,
  HasHeader: true,
  Columns: [
    { name: 'day', type: 'DATE' },
    { name: 'n', type: 'BIGINT' },
    { name: 'x', type: 'DOUBLE' },
    { name: 'ok', type: 'BOOLEAN' },
    { name: 'label', type: 'VARCHAR' },
  ],
  DateFormat: '%d/%m/%Y',
  TimestampFormat: null,
};

describe('parser from DuckDB sniff_csv', () => {
  it('maps delimiter, header, newline and DuckDB types onto the Embulk csv parser', () => {
    const parser = parserFromSniff(SNIFFED);
    expect(parser).toMatchObject({
      delimiter: ';',
      quote: '"',
      newline: 'CRLF',
      skip_header_lines: 1,
      stop_on_invalid_record: true,
    });
    expect(parser.columns).toEqual([
      { name: 'day', type: 'timestamp', format: '%d/%m/%Y' },
      { name: 'n', type: 'long' },
      { name: 'x', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'label', type: 'string' },
    ]);
    expect(embulkColumn('t', 'TIMESTAMP', { DateFormat: null, TimestampFormat: null })).toEqual({
      name: 't',
      type: 'timestamp',
      format: '%Y-%m-%d %H:%M:%S',
    });
    expect(embulkColumn('d', 'DECIMAL(10,2)', SNIFFED).type).toBe('double');
  });

  it('builds a config that validates, keeps date formats on output and lands in S3 when asked', () => {
    const config = buildConfig({
      input: 'data/x.csv',
      parser: parserFromSniff(SNIFFED),
      outputDir: 'out/',
      name: 'x',
      land: { s3: { bucket: 'raw', prefix: 'in/' } },
    });
    expect(configProblems(config)).toEqual([]);
    expect(config.out).toMatchObject({
      path_prefix: 'out/x.',
      formatter: { column_options: { day: { format: '%d/%m/%Y' } } },
    });
    expect(config.datastack?.land?.s3).toEqual({ bucket: 'raw', prefix: 'in/' });
  });
});

describe('config problems', () => {
  it('names missing keys, bad column types and plugins this install lacks', () => {
    const problems = configProblems({
      in: { type: 's3', parser: { type: 'csv', columns: [{ name: 'a', type: 'integer' }] } },
      out: { type: 'bigquery' },
    });
    expect(problems.map((p) => p.path)).toContain('in.parser.columns.0.type');
    const plugins = configProblems({ in: { type: 's3', path_prefix: 'x' }, out: { type: 'bigquery' } });
    expect(plugins.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown input plugin "s3"'),
      expect.stringContaining('unknown output plugin "bigquery"'),
    ]);
    expect(configProblems({ out: { type: 'stdout' } })[0]?.path).toBe('in');
  });

  it('embulk_validate reports problems as a result, and a YAML error as one problem', async () => {
    ws = makeWorkspace({
      'good.yml':
        'in: {type: file, path_prefix: a.csv, parser: {type: csv, columns: [{name: a, type: long}]}}\nout: {type: stdout}\n',
      'bad.yml': 'in: {type: file, parser: {type: csv}}\nout: {type: file, path_prefix: o}\n',
      'broken.yml': 'in: [\n',
    });
    const ctx = await contextFor(ws.root);
    expect(await call(embulkValidate, { config: 'good.yml' }, ctx)).toMatchObject({
      valid: true,
      plugins: ['input:file', 'parser:csv', 'output:stdout'],
    });
    const bad = await call<{ valid: boolean; problems: { path: string }[] }>(
      embulkValidate,
      { config: 'bad.yml' },
      ctx,
    );
    expect(bad.valid).toBe(false);
    expect(bad.problems.map((p) => p.path)).toEqual(['in.path_prefix', 'in.parser.columns']);
    expect(await call(embulkValidate, { config: 'broken.yml' }, ctx)).toMatchObject({
      valid: false,
      problems: [{ path: '(yaml)' }],
    });
  });
});

describe('reading Embulk output', () => {
  it('parses the preview table, error lines and CSV records with quoted newlines', async () => {
    const table = parsePreviewTable([
      '2026 [INFO] (main): Started',
      '+------------------+-------------+',
      '|   date:timestamp | name:string |',
      '+------------------+-------------+',
      '| 2012-01-01 00:00:00 UTC |   a b |',
      '+------------------+-------------+',
    ]);
    expect(table).toEqual({
      columns: [
        { name: 'date', type: 'timestamp' },
        { name: 'name', type: 'string' },
      ],
      rows: [['2012-01-01 00:00:00 UTC', 'a b']],
    });
    expect(
      errorLines(['\tat x', 'Caused by: java.lang.NumberFormatException: "rain"', 'Error: bad record']),
    ).toEqual(['Caused by: java.lang.NumberFormatException: "rain"', 'Error: bad record']);
    const dir = mkdtempSync(join(tmpdir(), 'embulk-count-'));
    writeFileSync(join(dir, 'a.csv'), 'a,b\n1,"two\nlines"\n3,4');
    expect(await countCsvRecords(join(dir, 'a.csv'))).toBe(3);
  });
});

describe('Embulk missing', () => {
  it('says where it is not installed and how to install it, without trying to', async () => {
    ws = makeWorkspace({ 'x.yml': 'in: {type: file}\n' });
    const empty = mkdtempSync(join(tmpdir(), 'embulk-empty-'));
    const error = await execEmbulk(await contextFor(ws.root), 'run', ['x.yml'], {
      installDir: empty,
      autoInstall: false,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config', message: `Embulk 0.11.4 is not installed in ${empty}` });
    expect((error as { hint: string }).hint).toContain('datastack embulk install');
  });

  it('an install without Maven fails clearly and leaves nothing that looks installed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'embulk-nomvn-'));
    const error = await installEmbulk(empty, {
      env: { PATH: '/nonexistent' },
      signal: new AbortController().signal,
      progress: () => {},
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config' });
    expect((error as Error).message).toContain('Maven (mvn), which installs it, was not found');
    expect(isInstalled(empty)).toBe(false);
  });

  it('the generated poms pin embulk-core, embulk-deps and each standard plugin', () => {
    expect(RUNTIME_POM).toContain('<artifactId>embulk-deps</artifactId><version>0.11.4</version>');
    expect(PLUGINS_POM).toContain('<artifactId>embulk-parser-csv</artifactId><version>0.11.6</version>');
  });
});
