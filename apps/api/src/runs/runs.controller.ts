import { Body, Controller, Get, HttpCode, MessageEvent, Param, ParseIntPipe, Post, Query, Sse, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { fileDownload } from '../common/file-download';
import { PageQueryDto, TablePageDto } from '../datasets/dto/dataset.dto';
import { DownloadQueryDto, ModelOutputDto, RunDto, RunLogDto, RunNodeDto, RunOutputDto, StartRunDto, ViewQueryDto } from './dto/run.dto';
import { RunEventsService } from './run-events.service';
import { RunOutputsService } from './run-outputs.service';
import { RunViewsService } from './run-views.service';
import { RunsService } from './runs.service';

@ApiTags('runs')
@ApiExtraModels(RunNodeDto, RunOutputDto, ModelOutputDto)
@Controller()
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly runEvents: RunEventsService,
    private readonly outputs: RunOutputsService,
    private readonly views: RunViewsService,
  ) {}

  /** Starts a run in the background: the whole graph, or fromNode and downstream, or onlyNode. */
  @Post('experiments/:id/runs')
  start(@Param('id') id: string, @Body() body: StartRunDto): Promise<RunDto> {
    return this.runs.start(id, body);
  }

  /** Newest first. */
  @Get('experiments/:id/runs')
  list(@Param('id') id: string): Promise<RunDto[]> {
    return this.runs.listForExperiment(id);
  }

  /** One run with every node's status, progress, metrics and outputs. */
  @Get('runs/:id')
  get(@Param('id') id: string): Promise<RunDto> {
    return this.runs.get(id);
  }

  /** The run's log lines, oldest first. */
  @Get('runs/:id/logs')
  logs(@Param('id') id: string): Promise<RunLogDto[]> {
    return this.runs.getLogs(id);
  }

  /**
   * Server-sent events; each `data:` is JSON with `type` node | log | metric | run. The stream starts with the
   * current state of every node and the logs stored so far, goes on live and ends after the `run` event.
   */
  @Sse('runs/:id/events')
  @ApiProduces('text/event-stream')
  events(@Param('id') id: string): Promise<Observable<MessageEvent>> {
    return this.runEvents.stream(id);
  }

  /** Stops a running run; its running and queued nodes become cancelled. */
  @Post('runs/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string): Promise<RunDto> {
    return this.runs.cancel(id);
  }

  /** A table page, or for a model port `{ modelId, modelType, model }`. */
  @Get('runs/:id/nodes/:nodeId/outputs/:port')
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(TablePageDto) }, { $ref: getSchemaPath(ModelOutputDto) }] } })
  output(
    @Param('id') id: string,
    @Param('nodeId') nodeId: string,
    @Param('port', ParseIntPipe) port: number,
    @Query() page: PageQueryDto,
  ): Promise<TablePageDto | StreamableFile> {
    return this.outputs.page(id, nodeId, port, page.offset ?? 0, page.limit ?? 50);
  }

  /**
   * A node's table output as a CSV attachment (`<runId>-<nodeId>-<port>.csv`), streamed from the stored file.
   * `format` is `csv` (the only format outputs are stored in).
   */
  @Get('runs/:id/nodes/:nodeId/outputs/:port/download')
  @ApiProduces('text/csv')
  async download(
    @Param('id') id: string,
    @Param('nodeId') nodeId: string,
    @Param('port', ParseIntPipe) port: number,
    @Query() q: DownloadQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.outputs.csvFile(id, nodeId, port); // a dataset's CSV is a temporary conversion
    const name = `${id.slice(0, 8)}-${nodeId}-${port}`.replace(/[^A-Za-z0-9_-]+/g, '_');
    return fileDownload(file, 'text/csv; charset=utf-8', `${name}.${q.format ?? 'csv'}`);
  }

  /**
   * The data of a node's view whose source is a data provider of its component (see the component's `views` in
   * GET /api/components): JSON whose shape the view's kind defines.
   */
  @Get('runs/:id/nodes/:nodeId/views/:viewId')
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  view(@Param('id') id: string, @Param('nodeId') nodeId: string, @Param('viewId') viewId: string, @Query() q: ViewQueryDto): Promise<unknown> {
    return this.views.data(id, nodeId, viewId, q.limit ?? 2000, q.item);
  }

  /** The data of the node's `scatter` view (the older name of GET runs/:id/nodes/:nodeId/views/scatter). */
  @Get('runs/:id/nodes/:nodeId/sample')
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  sample(@Param('id') id: string, @Param('nodeId') nodeId: string, @Query() q: ViewQueryDto): Promise<unknown> {
    return this.views.data(id, nodeId, 'scatter', q.limit ?? 2000);
  }
}
