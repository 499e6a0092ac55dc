import { IsArray, IsObject, IsOptional } from 'class-validator';
import { IsColumnName } from '../../common/text';

export class ModelLineageDto {
  experimentId?: string;
  runId?: string;
  nodeId?: string;
  parentModelId?: string;
}

export class ModelSummaryDto {
  id!: string;
  name!: string;
  k!: number;
  dims!: number;
  /** full | diag | spherical | tied */
  covarianceType!: string;
  createdAt!: string;
  lineage!: ModelLineageDto;
}

export class ModelDetailDto extends ModelSummaryDto {
  /** GmmModelJson: weights, means, covariances, training summary */
  model!: Record<string, unknown>;
}

export class PredictDto {
  /** the rows to score, as objects keyed by column name */
  @IsArray()
  @IsObject({ each: true })
  rows!: Record<string, unknown>[];

  /** column holding an Alink vector string; defaults to the model's training column */
  @IsOptional()
  @IsColumnName()
  vectorCol?: string;

  /** numeric columns to use as features instead of a vector column */
  @IsOptional()
  @IsArray()
  @IsColumnName({ each: true })
  featureCols?: string[];

  /** output column of the cluster index; default 'prediction' */
  @IsOptional()
  @IsColumnName()
  predictionCol?: string;

  /** output column of the posterior probabilities (space separated, cluster order) */
  @IsOptional()
  @IsColumnName()
  predictionDetailCol?: string;
}

export class PredictResultDto {
  rows!: Record<string, unknown>[];
}
