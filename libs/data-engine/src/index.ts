export { DataEngine, sandboxedQuery, type DataEngineOptions, type SandboxOptions } from './engine';
export { SqlError, toSqlError, lineAndColumn } from './errors';
export { columnTypeOf, sqlTypeOf, quoteIdent, quoteLiteral, loadTable, resultToTable } from './tables';
export {
  writeParquet,
  csvToParquet,
  fileToParquet,
  readParquetTable,
  parquetPage,
  parquetStats,
  parquetToCsv,
  PARQUET_ROW_GROUP_ROWS,
  type ColumnStats,
  type ColumnarFormat,
  type StoreEngineOptions,
} from './parquet';
