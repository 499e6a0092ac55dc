import { IsString, Matches, MinLength } from 'class-validator';

/** A deployment's name: it is a path segment of its predict URL. */
export const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class CreateDeploymentDto {
  /** 1 to 64 letters, digits, `_`, `.` or `-`, starting with a letter or digit (it names the endpoint) */
  @IsString()
  @Matches(DEPLOYMENT_NAME, { message: 'name must be 1 to 64 letters, digits, _, . or -, starting with a letter or digit (it is part of the URL)' })
  name!: string;

  /** the stored model to serve (GET /api/models) */
  @IsString()
  @MinLength(1)
  modelId!: string;
}

export class SwapDeploymentDto {
  /** the model to serve from now on: same model type, dimensions and features as the current one */
  @IsString()
  @MinLength(1)
  modelId!: string;
}

export class DeploymentCountersDto {
  /** rows predicted (error lines not counted) */
  rows!: number;
  /** prediction requests answered or failed */
  requests!: number;
  /** lines answered with an error, plus requests that failed */
  errors!: number;
  /** median request latency over the last 1,000 requests, in milliseconds (null before the first) */
  p50Ms!: number | null;
  /** 99th percentile request latency over the last 1,000 requests, in milliseconds */
  p99Ms!: number | null;
  /** when the counters started (the server's start or the deployment's creation): they are not stored */
  since!: string;
}

export class DeploymentDto {
  name!: string;
  modelId!: string;
  /** the model's name when it was deployed or swapped in */
  modelName!: string;
  /** the model's one-line description, e.g. "k=8, 10-D" */
  modelDescription!: string;
  createdAt!: string;
  updatedAt!: string;
  counters!: DeploymentCountersDto;
}
