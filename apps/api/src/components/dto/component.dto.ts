import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, Min, ValidateNested } from 'class-validator';
import type { InputStats, ParameterValue } from '@mixflow/component-sdk';

export class TabDto {
  id!: string;
  label!: string;
}

export class ComponentListDto {
  tabs!: TabDto[];
  /** ComponentDescription[]: ports, parameters grouped by tab, defaults, ranges, help, showIf */
  components!: Record<string, unknown>[];
}

/** What is known about one input port; every figure is a whole number (dims and k at least 1). */
export class InputStatsDto implements InputStats {
  @IsOptional()
  @IsInt()
  @Min(0)
  rows?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  bytes?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  dims?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  k?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  modelBytes?: number;
}

export class EstimateRequestDto {
  /** parameter values by name; defaults fill the rest */
  @IsOptional()
  @IsObject()
  params?: Record<string, ParameterValue>;

  /** one InputStats per input port */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InputStatsDto)
  inputs?: InputStatsDto[];
}

export class ResourceEstimateDto {
  formulaMemoryMb!: number;
  formula!: string;
  recommendedMemoryMb!: number;
  recommendedWorkers!: number;
  dataAwareMemoryMb?: number;
  dataAwareDetail?: string;
  warnings!: { code: string; message: string }[];
}
