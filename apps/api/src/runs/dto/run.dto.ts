import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsId } from '../../common/ids';
import { TableSchemaDto } from '../../datasets/dto/dataset.dto';

export class StartRunDto {
  /** run this node and everything downstream of it (upstream outputs come from earlier runs) */
  @IsOptional()
  @IsId()
  fromNode?: string;

  /** run only this node (its inputs come from earlier runs) */
  @IsOptional()
  @IsId()
  onlyNode?: string;

  /**
   * Start even when a node's resource estimate exceeds numWorkers × memoryPerWorkerMb (otherwise a 400 naming the
   * node, the needed and the configured memory).
   */
  @IsOptional()
  @IsBoolean()
  runAnyway?: boolean;
}

export class RunOutputDto {
  port!: number;
  /** table | model */
  type!: string;
  rowCount?: number;
  /** the schema of a table output */
  schema?: TableSchemaDto;
  modelId?: string;
}

export class RunNodeDto {
  /** queued | running | succeeded | failed | skipped | cancelled | interrupted */
  status!: string;
  /** 0..1 */
  progress!: number;
  message?: string;
  error?: string;
  /** where the error points: parameter, column, row, field */
  details?: Record<string, unknown>;
  startedAt?: string;
  finishedAt?: string;
  metrics!: Record<string, unknown>;
  outputs!: RunOutputDto[];
}

export class RunDto {
  id!: string;
  experimentId!: string;
  experimentVersion!: number;
  /** queued | running | succeeded | failed | cancelled | interrupted */
  status!: string;
  engine!: string;
  fromNode?: string;
  onlyNode?: string;
  createdAt!: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  nodes!: Record<string, RunNodeDto>;
}

export class RunLogDto {
  time!: string;
  nodeId?: string;
  /** info | warn | error */
  level!: string;
  message!: string;
}

export class ViewQueryDto {
  /** at most this many rows / points */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20000)
  limit?: number = 2000;

  /** which item of the view the client picked (e.g. a row of the node's table output); absent: the whole view */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  item?: number;
}

/** A model output: the stored model's id and type, and its file (as GET /api/models/:id/export writes it). */
export class ModelOutputDto {
  modelId!: string;
  modelType!: string;
  model!: unknown;
}

export class DownloadQueryDto {
  /** csv (the default; outputs are stored as CSV) */
  @IsOptional()
  @IsIn(['csv'])
  format?: string = 'csv';
}
