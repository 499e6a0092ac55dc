import { IsArray, IsObject, IsOptional } from 'class-validator';
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

export class EstimateRequestDto {
  /** parameter values by name; defaults fill the rest */
  @IsOptional()
  @IsObject()
  params?: Record<string, ParameterValue>;

  /** one InputStats per input port: { rows?, bytes?, dims?, k?, modelBytes? } */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  inputs?: InputStats[];
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
