import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, MinLength } from 'class-validator';
import type { ColumnType } from '@mixflow/table';
import { IsName } from '../../common/text';

/** The table library's column types (ColumnType), as the document's ColumnType enum. */
const COLUMN_TYPES: readonly ColumnType[] = ['double', 'long', 'string', 'vector'];

export class UploadDatasetDto {
  /** display name; defaults to the file name without its extension (.csv, .parquet, .jsonl) */
  @IsOptional()
  @IsName()
  @MinLength(1)
  name?: string;
}

export class PageQueryDto {
  /** first row, 0-based */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0;

  /** rows per page, at most 1000 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 50;
}

export class ColumnSchemaDto {
  name!: string;
  @ApiProperty({ enum: COLUMN_TYPES })
  type!: ColumnType;
  /** vector columns: the dimension of every value */
  vectorSize?: number;
  /** double and long columns: how many cells are missing (empty, NaN, null, NA or ?); absent when none */
  missing?: number;
}

export class TableSchemaDto {
  columns!: ColumnSchemaDto[];
}

export class ColumnStatsDto {
  name!: string;
  /** present values */
  count!: number;
  /** missing values (missing numbers, empty text) */
  missing!: number;
  /** numbers: least; text: first in byte order */
  @ApiProperty({ required: false, oneOf: [{ type: 'number' }, { type: 'string' }] })
  min?: number | string;
  /** numbers: greatest; text: last in byte order */
  @ApiProperty({ required: false, oneOf: [{ type: 'number' }, { type: 'string' }] })
  max?: number | string;
  /** numbers only */
  mean?: number;
  /** numbers only: sample standard deviation */
  std?: number;
  /** estimated number of distinct values */
  distinct?: number;
}

export class DatasetDto {
  id!: string;
  name!: string;
  schema!: TableSchemaDto;
  rowCount!: number;
  bytes!: number;
  builtIn!: boolean;
  createdAt!: string;
  /** per-column statistics, computed when the dataset was stored */
  stats?: ColumnStatsDto[];
}

/** A deleted dataset: its id and the name it had. */
export class DeletedDatasetDto {
  id!: string;
  name!: string;
  deletedAt!: string;
}

export class DownloadQueryDto {
  /** csv (the default) or parquet */
  @IsOptional()
  @IsIn(['csv', 'parquet'])
  format?: 'csv' | 'parquet' = 'csv';
}

export class TablePageDto {
  columns!: ColumnSchemaDto[];
  /** one array per row, in column order */
  @ApiProperty({ type: 'array', items: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } } })
  rows!: (string | number)[][];
  total!: number;
}
