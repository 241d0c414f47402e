/** The pure parts of the Iceberg tools: lossless ids, type mapping, partition specs, names, errors. */
import { describe, expect, it } from 'vitest';
import { catalogError, networkError } from '../../tools/iceberg/errors.js';
import { parseJsonLossless } from '../../tools/iceberg/json.js';
import { RefField, TableField } from '../../tools/iceberg/names.js';
import { namespacePath, refSegment } from '../../tools/iceberg/rest-client.js';
import { castFor, mapDuckDbType, partitionSpec, typeText } from '../../tools/iceberg/schema.js';

describe('parseJsonLossless', () => {
  it('keeps 64-bit ids exact, as text, and leaves other numbers and strings alone', () => {
    const parsed = parseJsonLossless(
      '{"snapshot-id": 3098703954535747272, "n": 12, "x": -1.5e3, "s": "9999999999999999999", "a": [1764054326350558163, -1]}',
    );
    expect(parsed).toEqual({
      'snapshot-id': '3098703954535747272',
      n: 12,
      x: -1500,
      s: '9999999999999999999',
      a: ['1764054326350558163', -1],
    });
    expect(parseJsonLossless('{"q": "say \\"1234567890123456789\\""}')).toEqual({
      q: 'say "1234567890123456789"',
    });
  });
});

describe('types', () => {
  it('maps DuckDB types to Iceberg types and back to the cast used for staging', () => {
    expect(mapDuckDbType('a', 'BIGINT')).toMatchObject({ iceberg: 'long', cast: 'BIGINT' });
    expect(mapDuckDbType('a', 'DECIMAL(18,3)')).toMatchObject({
      iceberg: 'decimal(18, 3)',
      cast: 'DECIMAL(18,3)',
    });
    expect(mapDuckDbType('a', 'TIMESTAMP WITH TIME ZONE')).toMatchObject({ iceberg: 'timestamptz' });
    expect(mapDuckDbType('a', 'HUGEINT')).toMatchObject({ iceberg: 'decimal(38, 0)' });
    expect(mapDuckDbType('a', 'STRUCT(x INTEGER)')).toMatchObject({ iceberg: 'string', cast: 'VARCHAR' });
    expect(castFor('decimal(10, 2)')).toBe('DECIMAL(10,2)');
    expect(castFor('timestamptz')).toBe('TIMESTAMPTZ');
    expect(castFor({ type: 'list', element: 'int' })).toBeUndefined();
    expect(typeText({ type: 'map', key: 'string', value: { type: 'list', element: 'long' } })).toBe(
      'map<string, list<long>>',
    );
  });

  it('reads partition transforms and checks them against the columns', () => {
    const columns = [
      mapDuckDbType('day', 'DATE'),
      mapDuckDbType('id', 'BIGINT'),
      mapDuckDbType('name', 'VARCHAR'),
    ];
    expect(partitionSpec('month(day)', columns)).toEqual({
      label: 'month(day)',
      spec: {
        'spec-id': 0,
        fields: [{ 'source-id': 1, 'field-id': 1000, name: 'day_month', transform: 'month' }],
      },
    });
    expect(partitionSpec('bucket(16, id)', columns).spec.fields[0]).toMatchObject({
      'source-id': 2,
      transform: 'bucket[16]',
    });
    expect(partitionSpec('name', columns).spec.fields[0]).toMatchObject({
      name: 'name',
      transform: 'identity',
    });
    expect(() => partitionSpec('day(name)', columns)).toThrow(/needs a date or timestamp/);
    expect(() => partitionSpec('hour(day)', columns)).toThrow(/needs a timestamp/);
    expect(() => partitionSpec('sideways(id)', columns)).toThrow(/Cannot read partition_by/);
  });
});

describe('names and paths', () => {
  it('checks table and ref names', () => {
    expect(TableField.safeParse('lake.weather').success).toBe(true);
    expect(TableField.safeParse('sales.eu.orders').success).toBe(true);
    expect(TableField.safeParse('weather').success).toBe(false);
    expect(TableField.safeParse('lake.we ather').success).toBe(false);
    expect(TableField.safeParse('lake..x').success).toBe(false);
    expect(RefField.safeParse('agent/s1').success).toBe(true);
    expect(RefField.safeParse('a..b').success).toBe(false);
  });

  it('encodes branches and namespaces the way Nessie reads them', () => {
    expect(refSegment('agent/s1')).toBe('agent%1Fs1');
    expect(refSegment('dev@abc')).toBe('dev%40abc');
    expect(namespacePath(['sales', 'eu'])).toBe('sales%1Feu');
  });
});

describe('catalog errors', () => {
  const place = { url: 'http://127.0.0.1:19120/iceberg', what: 'table lake.x', ref: 'dev' };
  const body = (type: string, message: string, code: number) => ({ error: { type, message, code } });

  it('maps the Iceberg error model to ToolError codes with hints', () => {
    expect(
      catalogError(404, body('NoSuchTableException', 'Table does not exist: lake.x', 404), place),
    ).toMatchObject({
      code: 'not_found',
      hint: expect.stringContaining('list-tables NAMESPACE --ref dev') as unknown,
    });
    expect(
      catalogError(404, body('NoSuchNamespaceException', 'Namespace does not exist: lake', 404), place).hint,
    ).toContain('list-namespaces');
    expect(
      catalogError(400, body('NoSuchReferenceException', "Named reference 'dev' not found", 400), place),
    ).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Branch or tag dev does not exist') as unknown,
    });
    expect(catalogError(409, body('AlreadyExistsException', 'exists', 409), place).code).toBe('conflict');
    expect(
      catalogError(409, body('CommitFailedException', 'requirement failed', 409), place).message,
    ).toMatch(/changed concurrently/);
    expect(catalogError(400, body('IllegalArgumentException', 'bad', 400), place).code).toBe('invalid_input');
    expect(catalogError(401, body('NotAuthorizedException', 'no', 401), place).code).toBe('unauthorized');
    expect(catalogError(503, 'down', place)).toMatchObject({
      code: 'unavailable',
      hint: expect.stringContaining('datastack stack status') as unknown,
    });
  });

  it('names refused connections and timeouts', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(networkError(refused, place.url, new AbortController().signal)).toMatchObject({
      code: 'unavailable',
      message: `The Iceberg catalog at ${place.url} refused the connection`,
    });
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    expect(networkError(timeout, place.url, new AbortController().signal).code).toBe('timeout');
  });
});
