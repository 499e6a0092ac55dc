import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsInt, IsNumber, IsObject, IsOptional, Min, ValidateNested } from 'class-validator';
import type { ParameterValue } from '@mixflow/component-sdk';
import { IsId } from '../../common/ids';
import { IsName } from '../../common/text';

export class PositionDto {
  @IsNumber()
  x!: number;

  @IsNumber()
  y!: number;
}

export class GraphNodeDto {
  @IsId()
  id!: string;

  /** a component id from GET /api/components */
  @IsId()
  componentId!: string;

  @IsOptional()
  @IsName()
  label?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PositionDto)
  position!: PositionDto;

  /** parameter values by name (validated against the component's description) */
  @IsObject()
  params!: Record<string, ParameterValue>;
}

export class GraphEdgeDto {
  @IsId()
  id!: string;

  @IsId()
  source!: string;

  /** output port index, 0-based */
  @IsInt()
  @Min(0)
  sourcePort!: number;

  @IsId()
  target!: string;

  /** input port index, 0-based */
  @IsInt()
  @Min(0)
  targetPort!: number;
}

export class GraphDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphNodeDto)
  nodes!: GraphNodeDto[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphEdgeDto)
  edges!: GraphEdgeDto[];
}

export class ConfigureGraphDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GraphDto)
  graph!: GraphDto;
}

export class GraphErrorDto {
  nodeId?: string;
  edgeId?: string;
  parameter?: string;
  message!: string;
}

export class NodeConfigurationDto {
  /** one per output port: a PortSchema, or null when not known yet */
  outputs!: Record<string, unknown>[];
  /** FieldError[] */
  errors!: Record<string, unknown>[];
  /** InputStats[] */
  inputStats!: Record<string, unknown>[];
  /** ResourceEstimate */
  estimate?: Record<string, unknown>;
}

export class GraphConfigurationDto {
  nodes!: Record<string, NodeConfigurationDto>;
  errors!: GraphErrorDto[];
}
