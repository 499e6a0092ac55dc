import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from '@duckdb/node-api';
import { rmSync } from 'node:fs';
import type { Table, TableSchema } from '@mixflow/table';
import { SqlError, toSqlError } from './errors';
import { appendTable, createTable, loadTable, resultToTable } from './tables';

export interface DataEngineOptions {
  /** a database file; in memory when absent */
  path?: string;
  /**
   * Sandboxed: no file system and no network from SQL (`enable_external_access = false`, no extension installs or
   * loads), and the configuration locked so a statement cannot turn that back on. For user SQL.
   */
  sandboxed?: boolean;
  /** DuckDB's memory_limit, e.g. '256MB' */
  memoryLimit?: string;
  /** DuckDB's worker threads */
  threads?: number;
  /** where DuckDB spills what does not fit memory_limit: a server-made folder only this engine uses, removed at close */
  tempDirectory?: string;
}

/**
 * One DuckDB database and a connection to it. Every statement's error is a SqlError carrying DuckDB's message and
 * position. Tables go in through `load` (the appender) and come out through `query` as `Table` values with Alink
 * column types (see `columnTypeOf`).
 */
export class DataEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly tempDirectory?: string,
  ) {}

  static async open(options: DataEngineOptions = {}): Promise<DataEngine> {
    const config: Record<string, string> = { errors_as_json: 'true', autoinstall_known_extensions: 'false' };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    if (options.sandboxed) {
      Object.assign(config, { enable_external_access: 'false', autoload_known_extensions: 'false', allow_community_extensions: 'false' });
      // last: a locked configuration refuses every later SET, including one that would re-enable external access
      config.lock_configuration = 'true';
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
    } catch (e) {
      throw toSqlError(e);
    }
    const connection = await instance.connect();
    return new DataEngine(instance, connection, options.tempDirectory);
  }

  /** Runs statements whose results are not needed (DDL, COPY, ...). */
  async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (e) {
      throw toSqlError(e, sql);
    }
  }

  /** Runs one query and reads its whole result as a Table. */
  async query(sql: string): Promise<Table> {
    const result = await this.stream(sql);
    try {
      return await resultToTable(result);
    } catch (e) {
      throw toSqlError(e, sql);
    }
  }

  /** Runs one query and reads its result as plain JS rows (numbers, strings, null; bigints as numbers). */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
    } catch (e) {
      throw toSqlError(e, sql);
    }
  }

  /** Starts a query whose result is fetched a data chunk at a time (`fetchChunk`), never whole. */
  async stream(sql: string): Promise<DuckDBResult> {
    try {
      return await this.connection.stream(sql);
    } catch (e) {
      throw toSqlError(e, sql);
    }
  }

  /**
   * Creates an empty table `name` with `schema`'s columns and returns a synchronous appender for it: `append` adds a
   * table's rows (same columns), `close` flushes them. For rows that arrive in batches and are never all in memory.
   */
  async appender(name: string, schema: TableSchema): Promise<{ append(table: Table): void; close(): void }> {
    let appender;
    try {
      await createTable(this.connection, name, schema);
      appender = await this.connection.createAppender(name);
    } catch (e) {
      throw toSqlError(e);
    }
    const opened = appender;
    return {
      append: (table) => {
        try {
          appendTable(opened, table);
        } catch (e) {
          throw toSqlError(e);
        }
      },
      close: () => {
        try {
          opened.flushSync();
        } catch (e) {
          throw toSqlError(e);
        } finally {
          opened.closeSync();
        }
      },
    };
  }

  /** Creates table `name` holding `table`'s rows. */
  async load(name: string, table: Table): Promise<void> {
    try {
      await loadTable(this.connection, name, table);
    } catch (e) {
      throw toSqlError(e);
    }
  }

  /**
   * Runs `sql`, which must be exactly one SELECT (a WITH … SELECT, VALUES or a set operation count as one), and reads
   * its whole result as a Table; anything else is a SqlError saying what was found. The statement is compiled once:
   * the prepared statement that shows its kind is the one that runs.
   */
  async querySelect(sql: string): Promise<Table> {
    const prepared = await this.prepareSelect(sql);
    try {
      return await resultToTable(await prepared.stream());
    } catch (e) {
      throw toSqlError(e, sql);
    } finally {
      prepared.destroySync();
    }
  }

  private async prepareSelect(sql: string): Promise<DuckDBPreparedStatement> {
    let count: number;
    let extracted;
    try {
      extracted = await this.connection.extractStatements(sql);
      count = extracted.count;
    } catch (e) {
      throw toSqlError(e, sql);
    }
    if (count !== 1) {
      throw new SqlError(`the SQL must be one SELECT statement; it has ${count}`, 'Statement', `${count} statements`);
    }
    let prepared: DuckDBPreparedStatement;
    try {
      prepared = await extracted.prepare(0);
    } catch (e) {
      throw toSqlError(e, sql);
    }
    const type = prepared.statementType;
    if (type !== StatementType.SELECT) {
      prepared.destroySync();
      const found = StatementType[type] ?? 'another statement';
      throw new SqlError(`the SQL must be a SELECT statement; this one is ${found}`, 'Statement', `${found} statement`);
    }
    return prepared;
  }

  /** Interrupts the statement running now (for an aborted run). */
  interrupt(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.tempDirectory) rmSync(this.tempDirectory, { recursive: true, force: true });
  }
}

export interface SandboxOptions {
  memoryLimit?: string;
  threads?: number;
  /** aborts the query (DuckDB is interrupted) */
  signal?: AbortSignal;
}

/**
 * Runs user SQL — one SELECT — over the named input tables in a fresh sandboxed in-memory database (no file system,
 * no network, configuration locked) and returns its result as a Table. The database lives only for this call.
 * Errors: SqlError (DuckDB's message and position, or a statement that is not a SELECT).
 */
export async function sandboxedQuery(sql: string, inputs: Readonly<Record<string, Table>>, options: SandboxOptions = {}): Promise<Table> {
  const engine = await DataEngine.open({ sandboxed: true, memoryLimit: options.memoryLimit, threads: options.threads });
  const onAbort = () => engine.interrupt();
  options.signal?.addEventListener('abort', onAbort);
  try {
    for (const [name, table] of Object.entries(inputs)) await engine.load(name, table);
    return await engine.querySelect(sql);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    engine.close();
  }
}
