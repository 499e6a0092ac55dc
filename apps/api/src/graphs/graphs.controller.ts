import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ComponentRegistry } from '@mixflow/component-sdk';
import { configureGraph, Graph } from '@mixflow/workflow';
import { DatasetsService } from '../datasets/datasets.service';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import { ConfigureGraphDto, GraphConfigurationDto } from './dto/graph.dto';

@ApiTags('graphs')
@Controller('graphs')
export class GraphsController {
  constructor(
    @Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry,
    private readonly datasets: DatasetsService,
  ) {}

  /** Runs every node's configure in topological order (output schemas, input statistics, estimates) without running anything. */
  @Post('configure')
  @HttpCode(200)
  configure(@Body() body: ConfigureGraphDto): GraphConfigurationDto {
    return configureGraph(body.graph as Graph, this.registry, this.datasets.env) as unknown as GraphConfigurationDto;
  }
}
