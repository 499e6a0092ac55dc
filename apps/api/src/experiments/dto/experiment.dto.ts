import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsName } from '../../common/text';
import { GraphDto } from '../../graphs/dto/graph.dto';

export class CreateExperimentDto {
  @IsName()
  @MinLength(1)
  name!: string;

  /** defaults to an empty graph */
  @IsOptional()
  @ValidateNested()
  @Type(() => GraphDto)
  graph?: GraphDto;
}

export class UpdateExperimentDto {
  @IsOptional()
  @IsName()
  @MinLength(1)
  name?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => GraphDto)
  graph?: GraphDto;
}

export class ExperimentDto {
  id!: string;
  name!: string;
  /** incremented on every save */
  version!: number;
  graph!: GraphDto;
  createdAt!: string;
  updatedAt!: string;
}

export class ExperimentSummaryDto {
  id!: string;
  name!: string;
  version!: number;
  updatedAt!: string;
  nodeCount!: number;
}

export class ExperimentVersionDto {
  version!: number;
  savedAt!: string;
}

/** One saved version of an experiment, whole: what the console opens read-only and restores. */
export class ExperimentVersionDetailDto {
  version!: number;
  name!: string;
  graph!: GraphDto;
  savedAt!: string;
}

/** A stored dataset an experiment's graph reads, by id and (when exported) its name. */
export class DatasetReferenceDto {
  id!: string;
  /** the dataset's name when the experiment was exported (absent when the exporting server did not have it) */
  name?: string;
  /** the nodes whose parameters name it */
  nodeIds!: string[];
}

export class DatasetReferenceFileDto {
  @IsString()
  @MaxLength(64)
  id!: string;

  @IsOptional()
  @IsName()
  name?: string;

  @IsArray()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  nodeIds!: string[];
}

/** An experiment as a file (`GET /api/experiments/:id/export`), importable on any server (`POST /api/experiments/import`). */
export class ExperimentFileDto {
  /** always 'mixflow.experiment' */
  @IsIn(['mixflow.experiment'])
  format!: string;

  /** the file format's version; 1 */
  @IsIn([1])
  formatVersion!: number;

  @IsName()
  @MinLength(1)
  name!: string;

  @ValidateNested()
  @Type(() => GraphDto)
  graph!: GraphDto;

  /** the datasets the graph reads, with their names, so an import can say which ones this server lacks */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DatasetReferenceFileDto)
  datasets?: DatasetReferenceFileDto[];
}

export class ImportedExperimentDto {
  experiment!: ExperimentDto;
  /** datasets the graph reads that this server does not have (upload them, then choose them in Read Dataset) */
  missingDatasets!: DatasetReferenceDto[];
}

export class ExperimentSdkCodeDto {
  /** TypeScript with @mixflow/sdk that builds the same graph */
  code!: string;
}

export class ExperimentListQueryDto {
  /** only the experiments whose current graph reads this dataset (a Read Dataset node's Dataset) */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  datasetId?: string;
}
