import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PredictDto, PredictResultDto } from '../models/dto/model.dto';
import { predictOptions, predictParams, queryOptions, requestFormat } from '../models/predict-options';
import { CSV, NDJSON } from '../serving/formats';
import { ServingService, type ServeOutcome } from '../serving/serving.service';
import { DeploymentsService } from './deployments.service';
import { CreateDeploymentDto, DeploymentDto, SwapDeploymentDto } from './dto/deployment.dto';

@ApiTags('deployments')
@Controller('deployments')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly serving: ServingService,
  ) {}

  /** A named endpoint serving a stored model: 404 for an unknown model, 409 for a name in use. */
  @Post()
  create(@Body() dto: CreateDeploymentDto): Promise<DeploymentDto> {
    return this.deployments.create(dto);
  }

  /** Every deployment with its model and counters (rows, requests, errors, p50/p99 latency since the server started). */
  @Get()
  list(): Promise<DeploymentDto[]> {
    return this.deployments.list();
  }

  /** One deployment with its model and counters; 404 for an unknown name. */
  @Get(':name')
  detail(@Param('name') name: string): Promise<DeploymentDto> {
    return this.deployments.detail(name);
  }

  /**
   * Swaps the model atomically: requests and stream batches that start after the answer use the new model, the
   * ones under way finish with the old one; every answered row names its model in `modelId`. The new model must
   * read the same inputs (model type, dimensions, features): otherwise a 400 names the difference and the current
   * model keeps serving.
   */
  @Put(':name')
  swap(@Param('name') name: string, @Body() dto: SwapDeploymentDto): Promise<DeploymentDto> {
    return this.deployments.swap(name, dto.modelId);
  }

  /** Stops serving and removes the deployment (the model stays). */
  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string): Promise<void> {
    await this.deployments.remove(name);
  }

  /**
   * Prediction with the deployment's model, in the formats of POST /api/models/:id/predict (JSON, NDJSON, CSV);
   * every answered row (and error line) carries `modelId`, the model that predicted it.
   */
  @Post(':name/predict')
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiConsumes('application/json', NDJSON, CSV)
  @ApiBody({ type: PredictDto })
  @ApiOkResponse({ type: PredictResultDto })
  async predict(@Param('name') name: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const format = requestFormat(req);
    const deployment = await this.deployments.get(name);
    const target = { current: () => deployment.current };
    const started = performance.now();
    let outcome: ServeOutcome;
    try {
      if (format === 'json') outcome = await this.serving.serveJson(req, res, target, (options) => predictOptions({ rows: [], ...options }));
      else {
        const dto = await predictOptions(queryOptions(req));
        outcome = await this.serving.serveStream(req, res, format, { ...target, params: predictParams(dto) });
      }
    } catch (err) {
      deployment.counters.failed(performance.now() - started);
      throw err;
    }
    deployment.counters.record(outcome.rows, outcome.errors, performance.now() - started);
  }
}
