import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Graph } from '@mixflow/workflow';
import {
  CreateExperimentDto,
  ExperimentDto,
  ExperimentFileDto,
  ExperimentListQueryDto,
  ExperimentSdkCodeDto,
  ExperimentSummaryDto,
  ExperimentVersionDetailDto,
  ExperimentVersionDto,
  ImportedExperimentDto,
  UpdateExperimentDto,
} from './dto/experiment.dto';
import { ExperimentsService, toExperimentDto } from './experiments.service';

@ApiTags('experiments')
@Controller('experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  /** Most recently updated first; with `datasetId`, only those whose current graph reads that dataset (what deleting it would break). */
  @Get()
  list(@Query() q: ExperimentListQueryDto): Promise<ExperimentSummaryDto[]> {
    return this.experiments.list(q.datasetId);
  }

  /** The graph is validated against the component descriptions; an invalid one is a 400 naming the node. */
  @Post()
  create(@Body() body: CreateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.create(body.name, body.graph as Graph | undefined);
  }

  /** One experiment with its current graph. */
  @Get(':id')
  async get(@Param('id') id: string): Promise<ExperimentDto> {
    return toExperimentDto(await this.experiments.get(id));
  }

  /** Saves a new version when the name or the graph changed; saving what is stored answers the current version. */
  @Put(':id')
  update(@Param('id') id: string, @Body() body: UpdateExperimentDto): Promise<ExperimentDto> {
    return this.experiments.update(id, { name: body.name, graph: body.graph as Graph | undefined });
  }

  /**
   * Deletes the experiment with its versions, runs, run logs and run output files; the models its runs trained stay.
   */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiConflictResponse({ description: 'one of its runs is queued or running; cancel it first (POST /api/runs/:id/cancel)' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.experiments.remove(id);
  }

  /** A copy of the experiment's current graph as a new experiment named "<name> (copy)". */
  @Post(':id/duplicate')
  duplicate(@Param('id') id: string): Promise<ExperimentDto> {
    return this.experiments.duplicate(id);
  }

  /** Newest first. */
  @Get(':id/versions')
  versions(@Param('id') id: string): Promise<ExperimentVersionDto[]> {
    return this.experiments.listVersions(id);
  }

  /** One saved version with its graph (the console opens it read-only). */
  @Get(':id/versions/:version')
  version(@Param('id') id: string, @Param('version', ParseIntPipe) version: number): Promise<ExperimentVersionDetailDto> {
    return this.experiments.version(id, version);
  }

  /** Saves an old version's graph as the newest version; every version stays. */
  @Post(':id/versions/:version/restore')
  @HttpCode(200)
  restore(@Param('id') id: string, @Param('version', ParseIntPipe) version: number): Promise<ExperimentDto> {
    return this.experiments.restore(id, version);
  }

  /** The experiment as a JSON file to import elsewhere: its graph and the names of the datasets it reads. */
  @Get(':id/export')
  @ApiOkResponse({ type: ExperimentFileDto })
  async exportFile(@Param('id') id: string): Promise<StreamableFile> {
    const file = await this.experiments.exportFile(id);
    const safe = file.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'experiment';
    return new StreamableFile(Buffer.from(JSON.stringify(file, null, 2)), {
      type: 'application/json',
      disposition: `attachment; filename="${safe}.experiment.json"`,
    });
  }

  /**
   * Creates an experiment from an exported file. The graph is checked as on save; the datasets it reads that
   * this server lacks are answered in `missingDatasets` with the names they had.
   */
  @Post('import')
  importFile(@Body() body: ExperimentFileDto): Promise<ImportedExperimentDto> {
    return this.experiments.importFile(body);
  }

  /** The current graph as @mixflow/sdk code (what the console's "Copy SDK code" copies). */
  @Get(':id/sdk-code')
  sdkCode(@Param('id') id: string): Promise<ExperimentSdkCodeDto> {
    return this.experiments.sdkCode(id);
  }
}
