export { DataEngine, sandboxedQuery, type DataEngineOptions, type SandboxOptions } from './engine';
export { SqlError, toSqlError, lineAndColumn } from './errors';
export { columnTypeOf, sqlTypeOf, quoteIdent, quoteLiteral, loadTable, resultToTable } from './tables';
