import { IsArray, IsObject, IsOptional } from 'class-validator';
import { IsColumnName } from '../../common/text';

export class ModelLineageDto {
  experimentId?: string;
  runId?: string;
  nodeId?: string;
  parentModelId?: string;
}

/**
 * A stored model. Its type's figures (`fields`, e.g. a GMM's k, dims and covarianceType) are also given at the
 * top level, where clients of the first version read them.
 */
export class ModelSummaryDto {
  id!: string;
  name!: string;
  /** the plugin's model type, e.g. gmm */
  modelType!: string;
  /** one line, e.g. "k=3, 2-D" */
  description!: string;
  /** the model type's figures */
  fields!: Record<string, string | number | boolean>;
  createdAt!: string;
  lineage!: ModelLineageDto;
  [field: string]: unknown;
}

export class ModelDetailDto extends ModelSummaryDto {
  /** the model file, as GET /api/models/:id/export writes it */
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
