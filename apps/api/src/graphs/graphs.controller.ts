import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ComponentRegistry } from '@mixflow/component-sdk';
import { checkGraph, Graph } from '@mixflow/workflow';
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

  /**
   * Runs every node's configure in topological order (output schemas, input statistics, estimates), then the
   * components' checks (user SQL compiled against the input schemas), without running anything.
   */
  @Post('configure')
  @HttpCode(200)
  async configure(@Body() body: ConfigureGraphDto): Promise<GraphConfigurationDto> {
    const graph = body.graph as Graph;
    return (await checkGraph(graph, this.registry, this.datasets.env)) as unknown as GraphConfigurationDto;
  }
}
