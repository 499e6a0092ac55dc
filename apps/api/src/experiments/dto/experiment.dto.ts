import { Type } from 'class-transformer';
import { IsOptional, MinLength, ValidateNested } from 'class-validator';
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
