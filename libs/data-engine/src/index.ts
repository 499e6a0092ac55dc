export { DataEngine, sandboxedQuery, type DataEngineOptions, type SandboxOptions } from './engine';
export { SqlError, toSqlError, lineAndColumn } from './errors';
export { columnTypeOf, sqlTypeOf, quoteIdent, quoteLiteral, loadTable, resultToTable } from './tables';
export {
  writeParquet,
  csvToParquet,
  csvBatchesToParquet,
  fileToParquet,
  readParquetTable,
  readParquetRows,
  parquetPage,
  parquetStats,
  parquetToCsv,
  PARQUET_ROW_GROUP_ROWS,
  type ColumnStats,
  type RowBatch,
  type RowColumns,
  type ColumnarFormat,
  type StoreEngineOptions,
} from './parquet';
