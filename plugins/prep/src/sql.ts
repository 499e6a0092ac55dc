/**
 * SQL Script (PAI Designer's SQL Script; Alink's registerTableName + sqlQuery) and Filtering and Mapping (PAI's
 * Filter; Alink's FilterBatchOp / WhereBatchOp and SelectBatchOp). Both run one DuckDB SELECT in a fresh sandboxed
 * database holding only the inputs: no file system, no network, no settings (libs/data-engine's sandboxedQuery).
 * Before a run the SQL is compiled against empty tables of the input schemas (`check`), so a SQL error is a 400
 * naming the node, the parameter and the error's line and column.
 */
import { ComponentError, tableInput, type CheckResult, type ComponentDefinition, type ExecutionContext, type FieldError, type Params, type PortSchema } from '@mixflow/component-sdk';
import { SqlError, sandboxedQuery } from '@mixflow/data-engine';
import { tableFromColumns, type Table, type TableSchema } from '@mixflow/table';

const INPUT_NAMES = ['t1', 't2', 't3', 't4'] as const;

/** A table with this schema and no rows (what `check` compiles the SQL against). */
function emptyTable(schema: TableSchema): Table {
  return tableFromColumns(
    schema,
    schema.columns.map((c) => (c.type === 'double' || c.type === 'long' ? new Float64Array(0) : [])),
  );
}

/** One statement and where its parameter's text starts in it (for the error's position). */
interface Statement {
  sql: string;
  parameter: string;
  /** the offset of the parameter's text in `sql`: 0 when the SQL is the parameter itself */
  offset: number;
}

/**
 * A statement DuckDB refused, as a field error on the statement's parameter. The position is the one in the
 * parameter's own text: line and column of a SQL Script, the character of a condition or expression list.
 */
function sqlFieldError(error: unknown, statement: Statement): FieldError {
  if (!(error instanceof SqlError)) throw error;
  const { parameter, offset } = statement;
  if (offset === 0 || error.position === undefined || error.position < offset) return { parameter, message: `${parameter}: ${error.message}` };
  return { parameter, message: `${parameter}: ${error.kind} error at character ${error.position - offset + 1}: ${error.detail}` };
}

/** The names the inputs go by in the SQL: t1…t4, or the tableNames given (Alink's registerTableName). */
export function inputNames(params: Params, connected: number): { names: string[] } | { error: FieldError } {
  const given = typeof params.tableNames === 'string' ? params.tableNames.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
  if (given.length === 0) return { names: INPUT_NAMES.slice(0, connected) };
  if (given.length !== connected) {
    return { error: { parameter: 'tableNames', message: `tableNames names ${given.length} table${given.length === 1 ? '' : 's'} (${given.join(', ')}) but ${connected} input${connected === 1 ? ' is' : 's are'} connected; give one name per input, in port order` } };
  }
  const bad = given.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
  if (bad !== undefined) return { error: { parameter: 'tableNames', message: `tableNames: "${bad}" is not a plain SQL name (letters, digits and _, not starting with a digit)` } };
  const dup = given.find((n, i) => given.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
  if (dup !== undefined) return { error: { parameter: 'tableNames', message: `tableNames lists "${dup}" twice` } };
  return { names: given };
}

/** PAI writes its inputs as ${t1}…${t4}; DuckDB reads them as t1…t4. */
function withoutPaiPlaceholders(sql: string): string {
  return sql.replace(/\$\{\s*(t[1-4])\s*\}/g, '$1');
}

interface SqlComponentSpec {
  /** the statements to compile before a run, in order (the first that fails names its parameter); the last one runs */
  statements(params: Params): Statement[];
  /** the inputs by their SQL names */
  names(params: Params, connected: number): { names: string[] } | { error: FieldError };
}

function connectedTables<T>(values: readonly (T | undefined)[]): T[] {
  const out: T[] = [];
  for (const v of values) {
    if (v === undefined) break;
    out.push(v);
  }
  return out;
}

/**
 * Compiles the statements on empty tables of the input schemas: the first error (naming its parameter), or the
 * result's schema. A vector column keeps the size of the input's vector column of the same name (DuckDB's lists
 * have none).
 */
async function checkSql(spec: SqlComponentSpec, params: Params, inputs: readonly (PortSchema | undefined)[]): Promise<CheckResult> {
  const schemas = connectedTables(inputs.map((_, i) => tableInput(inputs, i)));
  if (schemas.length === 0) return { errors: [] };
  const names = spec.names(params, schemas.length);
  if ('error' in names) return { errors: [names.error] };
  const empty = Object.fromEntries(names.names.map((n, i) => [n, emptyTable(schemas[i])]));
  let result: Table | undefined;
  for (const statement of spec.statements(params)) {
    try {
      result = await sandboxedQuery(statement.sql, empty);
    } catch (error) {
      return { errors: [sqlFieldError(error, statement)] };
    }
  }
  if (!result) return { errors: [] };
  const sizes = new Map(schemas.flatMap((s) => s.columns.filter((c) => c.type === 'vector' && c.vectorSize !== undefined).map((c) => [c.name, c.vectorSize!] as const)));
  const columns = result.schema.columns.map((c) => (c.type === 'vector' && sizes.has(c.name) ? { ...c, vectorSize: sizes.get(c.name)! } : c));
  return { errors: [], outputs: [{ type: 'table', schema: { ...result.schema, columns } }] };
}

/**
 * Runs the last statement on the inputs: the one compile of a successful run (check compiled it before, on empty
 * tables in a database of its own, but nothing of that database outlives the check). Only when it fails are the
 * earlier statements compiled, on empty tables, so the error names the clause it is in, which the last statement's
 * error cannot tell.
 */
async function executeSql(spec: SqlComponentSpec, ctx: ExecutionContext): Promise<Table> {
  const tables = connectedTables(ctx.inputs.map((v) => (v?.type === 'table' ? v.table : undefined)));
  const names = spec.names(ctx.params, tables.length);
  if ('error' in names) throw new ComponentError(names.error.message, { nodeId: ctx.nodeId, parameter: names.error.parameter });
  const statements = spec.statements(ctx.params);
  const statement = statements.at(-1)!;
  try {
    return await sandboxedQuery(statement.sql, Object.fromEntries(names.names.map((n, i) => [n, tables[i]])), { signal: ctx.signal });
  } catch (error) {
    const field = sqlFieldError(error, statement);
    const earlier = statements.length > 1 ? await checkSql({ ...spec, statements: () => statements.slice(0, -1) }, ctx.params, tables.map((t) => ({ type: 'table', schema: t.schema }))) : undefined;
    const named = earlier?.errors[0] ?? field;
    throw new ComponentError(named.message, { nodeId: ctx.nodeId, parameter: named.parameter });
  }
}

const scriptSpec: SqlComponentSpec = {
  statements: (params) => [{ sql: withoutPaiPlaceholders(String(params.command ?? '')), parameter: 'command', offset: 0 }],
  names: inputNames,
};

export const sqlScript: ComponentDefinition = {
  description: {
    id: 'sql-script',
    displayName: 'SQL Script',
    category: 'Data',
    version: 1,
    description:
      'Runs one SQL SELECT (DuckDB’s dialect) over up to four input tables, named t1…t4 (or ${t1}…${t4}, as PAI writes them), and outputs its result. The SQL sees only its inputs: it cannot read files or reach the network.',
    icon: 'data',
    inputs: [
      { name: 't1', label: 'Table t1', type: 'table' },
      { name: 't2', label: 'Table t2', type: 'table', optional: true },
      { name: 't3', label: 'Table t3', type: 'table', optional: true },
      { name: 't4', label: 'Table t4', type: 'table', optional: true },
    ],
    outputs: [{ name: 'data', label: 'Result', type: 'table' }],
    parameters: [
      {
        name: 'command',
        label: 'SQL',
        tab: 'parameter',
        type: 'string',
        required: true,
        help: 'One SELECT statement, e.g. select x, y * 2 as y2 from t1 where x > 0. The inputs are t1…t4 in port order (connect them in order); a SQL error stops the run before it starts and says where.',
      },
      {
        name: 'tableNames',
        label: 'Input table names',
        tab: 'parameter',
        group: 'advanced',
        type: 'string',
        default: '',
        help: 'Other names for the inputs, separated by commas, in port order (Alink’s registerTableName, e.g. A,B). Empty: t1…t4.',
      },
    ],
    views: [{ id: 'rows', kind: 'table', title: 'Result', source: { output: 0 } }],
  },
  configure(params, inputs) {
    const connected = connectedTables(inputs.map((_, i) => tableInput(inputs, i)));
    const wired = inputs.filter((s) => s !== undefined).length;
    const errors: FieldError[] = [];
    if (wired > connected.length) errors.push({ port: connected.length, message: `connect the inputs in order: t${connected.length + 1} is empty but a later input is connected` });
    if (connected.length > 0) {
      const names = inputNames(params, connected.length);
      if ('error' in names) errors.push(names.error);
    }
    // the result's columns are known once DuckDB compiled the SQL: check returns them
    return { outputs: [undefined], errors };
  },
  check: (params, inputs) => checkSql(scriptSpec, params, inputs),
  async execute(ctx) {
    const table = await executeSql(scriptSpec, ctx);
    ctx.metric('rows', table.rowCount);
    ctx.progress(1, `the SQL returned ${table.rowCount} rows`);
    return { outputs: [{ type: 'table', table }] };
  },
};

/** SELECT <selectClause> FROM t1 [WHERE <clause>]: the condition is compiled first, so each error names its parameter. */
const filterSpec: SqlComponentSpec = {
  statements(params) {
    const select = typeof params.selectClause === 'string' && params.selectClause.trim() !== '' ? params.selectClause : '*';
    const filter = typeof params.clause === 'string' && params.clause.trim() !== '' ? params.clause : undefined;
    const where = filter ? ` WHERE ${filter}` : '';
    const statements: Statement[] = [];
    if (filter) statements.push({ sql: `SELECT * FROM t1 WHERE ${filter}`, parameter: 'clause', offset: 'SELECT * FROM t1 WHERE '.length });
    statements.push({ sql: `SELECT ${select} FROM t1${where}`, parameter: 'selectClause', offset: 'SELECT '.length });
    return statements;
  },
  names: () => ({ names: ['t1'] }),
};

export const filterMapping: ComponentDefinition = {
  description: {
    id: 'filter-mapping',
    displayName: 'Filtering and Mapping',
    category: 'Data',
    version: 1,
    description:
      'Keeps the rows that meet a condition and computes the output columns from SQL expressions (DuckDB’s dialect): Alink’s FilterBatchOp / WhereBatchOp (clause) and SelectBatchOp (clause). The expressions see only the input table.',
    icon: 'data',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [{ name: 'data', label: 'Result', type: 'table' }],
    parameters: [
      { name: 'clause', label: 'Filter condition', tab: 'parameter', type: 'string', default: '', help: 'A SQL condition on the input’s columns, e.g. age >= 40 and city = \'Ohio\'. Empty keeps every row.' },
      { name: 'selectClause', label: 'Output columns', tab: 'parameter', type: 'string', default: '*', help: 'SQL expressions for the output columns, e.g. f1 as name, f2 * 2 as f2x2, or * for every column. Default *.' },
    ],
    views: [{ id: 'rows', kind: 'table', title: 'Result', source: { output: 0 } }],
  },
  configure(params, inputs) {
    const schema = tableInput(inputs, 0);
    // with every column selected as-is, the schema is the input's; otherwise check returns DuckDB's
    const select = typeof params.selectClause === 'string' ? params.selectClause.trim() : '*';
    return { outputs: [schema && (select === '*' || select === '') ? { type: 'table', schema } : undefined], errors: [] };
  },
  check: (params, inputs) => checkSql(filterSpec, params, inputs),
  async execute(ctx) {
    const table = await executeSql(filterSpec, ctx);
    const input = ctx.inputs[0]?.type === 'table' ? ctx.inputs[0].table.rowCount : undefined;
    ctx.metric('rows', table.rowCount);
    if (input !== undefined) ctx.log('info', `${table.rowCount} of ${input} rows kept`);
    ctx.progress(1, `${table.rowCount} rows`);
    return { outputs: [{ type: 'table', table }] };
  },
};
