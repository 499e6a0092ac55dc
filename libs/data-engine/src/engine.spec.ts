import { DuckDBConnection, DuckDBExtractedStatements, DuckDBPreparedStatement } from '@duckdb/node-api';
import { tableFromRows, type Table } from '@mixflow/table';
import { DataEngine, sandboxedQuery } from './engine';
import { SqlError } from './errors';

const people: Table = tableFromRows(
  [
    [1, 'ann', 1.5, '1 2'],
    [2, 'bob', NaN, '3 4'],
    [3, 'cy', 3.25, '5 6'],
  ],
  {
    columns: [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'score', type: 'double' },
      { name: 'v', type: 'vector' },
    ],
  },
);
const visits: Table = tableFromRows(
  [
    [1, 10],
    [1, 20],
    [3, 5],
  ],
  { columns: [{ name: 'person', type: 'long' }, { name: 'minutes', type: 'long' }] },
);

async function refusal(sql: string): Promise<SqlError> {
  try {
    await sandboxedQuery(sql, { t1: people });
  } catch (e) {
    expect(e).toBeInstanceOf(SqlError);
    return e as SqlError;
  }
  throw new Error(`"${sql}" was not refused`);
}

describe('sandboxedQuery', () => {
  it('joins two input tables and infers Alink types of the result', async () => {
    const out = await sandboxedQuery(
      `SELECT t1.name, sum(t2.minutes) AS total, avg(t2.minutes) AS mean, any_value(t1.score) AS score, any_value(t1.v) AS v,
              count(*) > 1 AS many
         FROM t1 JOIN t2 ON t1.id = t2.person GROUP BY t1.name ORDER BY t1.name`,
      { t1: people, t2: visits },
    );
    expect(out.schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['name', 'string'],
      ['total', 'long'], // sum of BIGINT is HUGEINT in DuckDB: an integer type
      ['mean', 'double'],
      ['score', 'double'],
      ['v', 'vector'],
      ['many', 'string'],
    ]);
    expect(out.rowCount).toBe(2);
    expect(out.columns[0]).toEqual(['ann', 'cy']);
    expect(Array.from(out.columns[1] as Float64Array)).toEqual([30, 5]);
    expect(Array.from(out.columns[2] as Float64Array)).toEqual([15, 5]);
    expect(Array.from(out.columns[3] as Float64Array)).toEqual([1.5, 3.25]);
    expect(out.schema.columns[4].vectorSize).toBe(2);
    expect(out.columns[5]).toEqual(['true', 'false']);
  });

  it('keeps integer columns long, missing numbers NaN (counted), and a NULL text empty', async () => {
    const out = await sandboxedQuery('SELECT id, score, CASE WHEN id = 2 THEN NULL ELSE name END AS name FROM t1 ORDER BY id', { t1: people });
    expect(out.schema.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'score', type: 'double', missing: 1 },
      { name: 'name', type: 'string' },
    ]);
    expect(Number.isNaN((out.columns[1] as Float64Array)[1])).toBe(true);
    expect(out.columns[2]).toEqual(['ann', '', 'cy']);
  });

  it('reads more rows than one data chunk', async () => {
    const out = await sandboxedQuery('SELECT range AS i, range * 0.5 AS h FROM range(5000)', {});
    expect(out.rowCount).toBe(5000);
    expect((out.columns[1] as Float64Array)[4999]).toBe(2499.5);
  });

  it.each([
    ["SELECT * FROM read_csv('/etc/passwd')", 'Permission'],
    ["SELECT * FROM read_parquet('http://example.com/x.parquet')", 'Permission'],
    ["SELECT * FROM glob('/etc/*')", 'Permission'],
  ])('refuses a file or URL read: %s', async (sql, kind) => {
    const e = await refusal(sql);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(/disabled by configuration/);
  });

  it.each([
    "COPY t1 TO '/tmp/x.csv'",
    "ATTACH '/tmp/mixflow-sandbox.db'",
    'SET enable_external_access = true',
    'INSTALL httpfs',
    'LOAD httpfs',
    'CREATE TABLE z AS SELECT 1',
    'SELECT 1; SELECT 2',
  ])('refuses a statement that is not one SELECT: %s', async (sql) => {
    const e = await refusal(sql);
    // refused as a statement that is not a SELECT, or earlier, when DuckDB binds a file path
    expect(e.message).toMatch(/must be (one|a) SELECT|disabled by configuration|locked/);
  });

  it('does not read a file named as a table', async () => {
    const e = await refusal("SELECT * FROM '/etc/passwd'");
    expect(e.kind).toBe('Catalog');
    expect(e.message).not.toMatch(/root:/);
  });

  it('cannot re-enable external access even outside the SELECT check', async () => {
    const engine = await DataEngine.open({ sandboxed: true });
    try {
      await expect(engine.run('SET enable_external_access = true')).rejects.toThrow(/locked/);
      await expect(engine.run('SET lock_configuration = false')).rejects.toThrow(/locked/);
      await expect(engine.run('INSTALL httpfs')).rejects.toThrow(SqlError);
      await expect(engine.run("COPY (SELECT 1) TO '/tmp/mixflow-sandbox-x.csv'")).rejects.toThrow(/disabled by configuration/);
    } finally {
      engine.close();
    }
  });

  it('reports a syntax error with DuckDB message and position', async () => {
    const e = await refusal('SELECT id,\n  nme FROM t1');
    expect(e.kind).toBe('Binder');
    expect(e.detail).toMatch(/"nme" not found/);
    expect(e.position).toBe(13);
    expect([e.line, e.column]).toEqual([2, 3]);
    expect(e.message).toMatch(/^Binder error at line 2, column 3: /);
    const p = await refusal('SELEC 1');
    expect(p.kind).toBe('Parser');
    expect(p.detail).toMatch(/syntax error/);
  });

  it('compiles the SQL once: the statement prepared to check it is a SELECT is the one that runs', async () => {
    const prepared = jest.spyOn(DuckDBExtractedStatements.prototype, 'prepare');
    const ranPrepared = jest.spyOn(DuckDBPreparedStatement.prototype, 'stream');
    const ranText = jest.spyOn(DuckDBConnection.prototype, 'stream');
    try {
      const out = await sandboxedQuery('SELECT name FROM t1 WHERE id > 1 ORDER BY id', { t1: people });
      expect(out.columns[0]).toEqual(['bob', 'cy']);
      expect([prepared.mock.calls.length, ranPrepared.mock.calls.length, ranText.mock.calls.length]).toEqual([1, 1, 0]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('refuses a result with two columns of one name', async () => {
    await expect(sandboxedQuery('SELECT id, id FROM t1', { t1: people })).rejects.toThrow(/two columns named "id"/);
  });
});
