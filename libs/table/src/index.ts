export * from './types';
export { TableError } from './errors';
export { parseSchemaStr, formatSchemaStr, columnIndex, isNumericType } from './schema';
export { tableFromRows, tableFromColumns, rowsOf, getColumn, withColumns, vectorColumnSize, vectorColumn, isVectorColumn, cellOf } from './table';
export { readCsv, inferSchema, inferColumnType, tableToCsv, writeCsvAtomic, type ReadCsvOptions } from './csv';
export { extractFeatures, type FeatureSelection, type MissingCells } from './features';
export { isMissingCell } from './missing';
export { formatVector, parseVector, parseVectors, type DenseRows, type VectorSource } from './vectors';
export { binaryColumnarStore, type ColumnarStore } from './columnar';
