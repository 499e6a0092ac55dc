import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import type { Graph } from '@mixflow/workflow';
import {
  CreateExperimentDto,
  ExperimentDto,
  ExperimentSummaryDto,
  ExperimentVersionDto,
  UpdateExperimentDto,
} from './dto/experiment.dto';
import { ExperimentsService, toExperimentDto } from './experiments.service';

@ApiTags('experiments')
@Controller('experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  /** Most recently updated first. */
  @Get()
  list(): Promise<ExperimentSummaryDto[]> {
    return this.experiments.list();
  }

  /** The graph is validated against the component descriptions; an invalid one is a 400 naming the node. */
  @Post()
  create(@Body() body: CreateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.create(body.name, body.graph as Graph | undefined);
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<ExperimentDto> {
    return toExperimentDto(await this.experiments.get(id));
  }

  /** Saves a new version. */
  @Put(':id')
  update(@Param('id') id: string, @Body() body: UpdateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.update(id, { name: body.name, graph: body.graph as Graph | undefined });
  }

  /**
   * Deletes the experiment with its versions, runs, run logs and run output files; the models its runs trained stay.
   */
  @Delete(':id')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'one of its runs is queued or running; cancel it first (POST /api/runs/:id/cancel)' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.experiments.remove(id);
  }

  @Post(':id/duplicate')
  duplicate(@Param('id') id: string): Promise<ExperimentDto> {
    return this.experiments.duplicate(id);
  }

  /** Newest first. */
  @Get(':id/versions')
  versions(@Param('id') id: string): Promise<ExperimentVersionDto[]> {
    return this.experiments.listVersions(id);
  }
}
