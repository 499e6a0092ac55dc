export * from './types';
export { TableError } from './errors';
export { parseSchemaStr, formatSchemaStr, columnIndex, isNumericType } from './schema';
export { tableFromRows, tableFromColumns, rowsOf, getColumn, withColumns, vectorColumnSize, asTableError } from './table';
export { readCsv, inferSchema, inferColumnType, tableToCsv, writeCsvAtomic, type ReadCsvOptions } from './csv';
export { extractFeatures, type FeatureSelection, type MissingCells } from './features';
export { isMissingCell } from './missing';
