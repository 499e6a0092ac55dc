import { ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
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

/** Rows to score with a model, and how to read them (GMM Prediction's parameters). */
export class ScoreDto {
  /** the rows, as objects keyed by column name */
  @IsArray()
  @ArrayMinSize(1)
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

  /** rows with an empty, NaN, null, NA or ? feature: error (default), drop (left out of the score), mean (the training means) */
  @IsOptional()
  @IsIn(['error', 'drop', 'mean'])
  missingValues?: 'error' | 'drop' | 'mean';
}

export class ScoreResultDto {
  /** rows scored */
  rows!: number;
  /** rows left out by missingValues drop */
  droppedRows!: number;
  meanLogLikelihood!: number;
  /** −2·log-likelihood + p·ln(rows); lower is better (scikit-learn's sign) */
  bic!: number;
  /** −2·log-likelihood + 2p; lower is better */
  aic!: number;
}

/** How many rows to draw from a model, and the seed (same seed, same rows). */
export class SampleDto {
  /** 1 to 100,000; a GMM's sample holds at most 1,000,000 numbers (n × dims), beyond that a 400 naming n */
  @IsInt()
  @Min(1)
  @Max(100_000)
  n!: number;

  /** default 0 */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  seed?: number;
}

export class SampleResultDto {
  /** the drawn rows: the model's feature columns (or vector column) and `component`, the component that drew the row */
  rows!: Record<string, unknown>[];
}
