import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badRequest } from '../common/api-error.filter';
import { fileDownload, jsonWithFile } from '../common/file-download';
import { nameFromFile } from '../common/text';
import { UploadGuardInterceptor } from '../datasets/upload.interceptor';
import { CSV, NDJSON } from '../serving/formats';
import { ServingService } from '../serving/serving.service';
import { StorageService } from '../storage/storage.service';
import { ModelDetailDto, ModelSummaryDto, PredictDto, PredictResultDto, SampleDto, SampleResultDto, ScoreDto, ScoreResultDto } from './dto/model.dto';
import { modelFileLimitBytes } from './model-files.service';
import { ModelsService } from './models.service';
import { predictOptions, predictParams, queryOptions, requestFormat } from './predict-options';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly serving: ServingService,
    private readonly storage: StorageService,
    private readonly config: ConfigService,
  ) {}

  /** Every stored model with its type, a one-line description and its lineage. */
  @Get()
  list(): Promise<ModelSummaryDto[]> {
    return this.models.list();
  }

  /**
   * Imports a model file: the JSON body, or multipart field `file` (at most MIXFLOW_MAX_UPLOAD_MB, as datasets). The
   * file is streamed to a temporary file, then parsed and validated strictly off the request thread; a 400 names
   * the field (e.g. `means[1][0]`).
   */
  @Post('import')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', description: 'a model file (the export format of its model type), or multipart with field file' } })
  @UseInterceptors(UploadGuardInterceptor, FileInterceptor('file'))
  async import(@Req() req: Request, @UploadedFile() file?: Express.Multer.File): Promise<ModelSummaryDto> {
    const path = file?.path ?? (await this.receiveBody(req));
    try {
      return await this.models.import(path, file ? nameFromFile(file.originalname, /\.json$/i) || undefined : undefined);
    } finally {
      await this.storage.remove(path);
    }
  }

  /** The request's body in a temporary file, at most the upload limit (else a 400 saying so). */
  private async receiveBody(req: Request): Promise<string> {
    const path = this.storage.tempPath('.json');
    const most = modelFileLimitBytes(this.config);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes <= most) return done(null, chunk);
        done(badRequest(`the model file is larger than the upload limit of ${Math.round(most / 1024 / 1024)} MB; raise MIXFLOW_MAX_UPLOAD_MB`, { field: 'file' }));
      },
    });
    try {
      await pipeline(req, limit, fs.createWriteStream(path));
    } catch (err) {
      await this.storage.remove(path);
      throw err;
    }
    return path;
  }

  /** One stored model: its summary and its model file, streamed. */
  @Get(':id')
  @ApiOkResponse({ type: ModelDetailDto })
  async detail(@Param('id') id: string): Promise<StreamableFile> {
    const { summary, file } = await this.models.detail(id);
    return jsonWithFile(summary, 'model', file);
  }

  /** The model file (its model type's format) as an attachment named `<name>.<modelType>.json`, streamed. */
  @Get(':id/export')
  async export(@Param('id') id: string): Promise<StreamableFile> {
    const { name, modelType, file } = await this.models.exportFile(id);
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'model';
    return fileDownload(file, 'application/json', `${safe}.${modelType.replace(/[^A-Za-z0-9_-]+/g, '_')}.json`);
  }

  /** Deletes a stored model. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.models.remove(id);
  }

  /**
   * The model's fit on new rows (scikit-learn's score, bic and aic): `{ rows, vectorCol?, featureCols?, missingValues? }`
   * → `{ rows, droppedRows, meanLogLikelihood, bic, aic }` (BIC and AIC: lower is better). An error names the row.
   */
  @Post(':id/score')
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiOkResponse({ type: ScoreResultDto })
  score(@Param('id') id: string, @Body() body: ScoreDto): Promise<ScoreResultDto> {
    return this.models.score(id, body);
  }

  /** Rows drawn from the model: `{ n, seed? }` → `{ rows }`, each with the model's columns and `component`. */
  @Post(':id/sample')
  @HttpCode(200)
  @ApiOkResponse({ type: SampleResultDto })
  async sample(@Param('id') id: string, @Body() body: SampleDto): Promise<SampleResultDto> {
    return { rows: await this.models.sample(id, body) };
  }

  /**
   * Online prediction, parsed, predicted and formatted on the serving threads. JSON:
   * `{ rows, vectorCol?, featureCols?, predictionCol?, predictionDetailCol? }` → `{ rows }` (at most 64 MB; a row
   * that cannot be predicted is a 400 naming it). `Content-Type: application/x-ndjson`: one JSON row per line
   * (options in the query string), answered line for line as it arrives; `text/csv`: a header line and one record
   * per line, answered as CSV with the output columns and an `error` column. In both streams a bad line answers
   * an error naming it (`{"error": "line n: ...", "line": n}`) and the stream goes on.
   */
  @Post(':id/predict')
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiConsumes('application/json', NDJSON, CSV)
  @ApiBody({ type: PredictDto })
  @ApiOkResponse({ type: PredictResultDto })
  async predict(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const format = requestFormat(req);
    const model = await this.models.servable(id);
    if (format === 'json') {
      await this.serving.serveJson(req, res, { current: () => ({ model }) }, (options) => predictOptions({ rows: [], ...options }));
      return;
    }
    const dto = await predictOptions(queryOptions(req));
    await this.serving.serveStream(req, res, format, { params: predictParams(dto), current: () => ({ model }) });
  }
}
