import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { LogLevel } from '@mixflow/component-sdk';
import { IsId } from '../../common/ids';
import { TableSchemaDto } from '../../datasets/dto/dataset.dto';
import { NODE_STATUSES, RUN_STATUSES, type NodeStatus, type RunStatus } from '../entities/run.entity';

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

// The run's shapes are named schemas with their enums, so the console's types (generated from the document by
// openapi-typescript) are the API's: a field renamed here fails the console's type-check.

const LOG_LEVELS: readonly LogLevel[] = ['info', 'warn', 'error'];

export class RunOutputDto {
  port!: number;
  @ApiProperty({ enum: ['table', 'model'] })
  type!: 'table' | 'model';
  rowCount?: number;
  /** the schema of a table output */
  schema?: TableSchemaDto;
  modelId?: string;
}

export class RunNodeDto {
  @ApiProperty({ enum: NODE_STATUSES })
  status!: NodeStatus;
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
  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;
  engine!: string;
  fromNode?: string;
  onlyNode?: string;
  createdAt!: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** every node of the run by node id */
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(RunNodeDto) } })
  nodes!: Record<string, RunNodeDto>;
}

export class RunLogDto {
  time!: string;
  nodeId?: string;
  @ApiProperty({ enum: LOG_LEVELS })
  level!: LogLevel;
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
  /** the model file: the model type's format, read by its plugin's web part */
  @ApiProperty({ type: 'object', additionalProperties: true })
  model!: unknown;
}

export class DownloadQueryDto {
  /** csv (the default; outputs are stored as CSV) */
  @IsOptional()
  @IsIn(['csv'])
  format?: string = 'csv';
}
