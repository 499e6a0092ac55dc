import { Body, Controller, Get, HttpCode, MessageEvent, Param, ParseIntPipe, Post, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { PageQueryDto, TablePageDto } from '../datasets/dto/dataset.dto';
import { RunDto, RunLogDto, SampleQueryDto, StartRunDto, TrainingSampleDto } from './dto/run.dto';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

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

  @Get('runs/:id')
  get(@Param('id') id: string): Promise<RunDto> {
    return this.runs.get(id);
  }

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
    return this.runs.events(id);
  }

  /** Stops a running run; its running and queued nodes become cancelled. */
  @Post('runs/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string): Promise<RunDto> {
    return this.runs.cancel(id);
  }

  /** A table page, or for a model port `{ modelId, model }`. */
  @Get('runs/:id/nodes/:nodeId/outputs/:port')
  @ApiOkResponse({ type: TablePageDto })
  output(
    @Param('id') id: string,
    @Param('nodeId') nodeId: string,
    @Param('port', ParseIntPipe) port: number,
    @Query() page: PageQueryDto,
  ): Promise<TablePageDto | { modelId: string; model: unknown }> {
    return this.runs.outputPage(id, nodeId, port, page.offset ?? 0, page.limit ?? 50);
  }

  /** GMM Training nodes: a deterministic sample of the training rows with their predicted cluster (scatter plot). */
  @Get('runs/:id/nodes/:nodeId/sample')
  sample(@Param('id') id: string, @Param('nodeId') nodeId: string, @Query() q: SampleQueryDto): Promise<TrainingSampleDto> {
    return this.runs.trainingSample(id, nodeId, q.limit ?? 2000);
  }
}
