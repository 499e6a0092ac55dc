import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, MinLength } from 'class-validator';
import { IsName } from '../../common/text';

export class UploadDatasetDto {
  /** display name; defaults to the file name without .csv */
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
  /** double | long | string | vector */
  type!: string;
  /** vector columns: the dimension of every value */
  vectorSize?: number;
  /** double and long columns: how many cells are missing (empty, NaN, null, NA or ?); absent when none */
  missing?: number;
}

export class TableSchemaDto {
  columns!: ColumnSchemaDto[];
}

export class DatasetDto {
  id!: string;
  name!: string;
  schema!: TableSchemaDto;
  rowCount!: number;
  bytes!: number;
  builtIn!: boolean;
  createdAt!: string;
}

export class TablePageDto {
  columns!: ColumnSchemaDto[];
  /** one array per row, in column order */
  rows!: (string | number)[][];
  total!: number;
}
