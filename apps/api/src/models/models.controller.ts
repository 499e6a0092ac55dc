import {
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
import type { Request, Response } from 'express';
import * as readline from 'node:readline';
import { badRequest } from '../common/api-error.filter';
import { nameFromFile } from '../common/text';
import { createValidationPipe } from '../common/validation';
import { ModelDetailDto, ModelSummaryDto, PredictDto, PredictResultDto } from './dto/model.dto';
import { ModelsService, predictRow } from './models.service';

const NDJSON = 'application/x-ndjson';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  list(): Promise<ModelSummaryDto[]> {
    return this.models.list();
  }

  /**
   * Imports a model file: the JSON body, or multipart field `file`. Validated strictly; a 400 names the field
   * (e.g. `means[1][0]`).
   */
  @Post('import')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', description: 'a model file (the export format of its model type), or multipart with field file' } })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 64 * 1024 * 1024, files: 1, fields: 8, fieldSize: 4096 }, defParamCharset: 'utf8' }))
  async import(@Req() req: Request, @UploadedFile() file?: Express.Multer.File): Promise<ModelSummaryDto> {
    if (file) {
      let json: unknown;
      try {
        json = JSON.parse(file.buffer.toString('utf8'));
      } catch (err) {
        throw badRequest(`the model file is not JSON: ${(err as Error).message}`, { field: 'file' });
      }
      return this.models.import(json, nameFromFile(file.originalname, /\.json$/i) || undefined);
    }
    return this.models.import(req.body);
  }

  @Get(':id')
  detail(@Param('id') id: string): Promise<ModelDetailDto> {
    return this.models.detail(id);
  }

  /** The model file (its model type's format) as an attachment named `<name>.<modelType>.json`. */
  @Get(':id/export')
  async export(@Param('id') id: string): Promise<StreamableFile> {
    const { name, modelType, file } = await this.models.file(id);
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'model';
    return new StreamableFile(Buffer.from(JSON.stringify(file, null, 2)), {
      type: 'application/json',
      disposition: `attachment; filename="${safe}.${modelType.replace(/[^A-Za-z0-9_-]+/g, '_')}.json"`,
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.models.remove(id);
  }

  /**
   * Online prediction. JSON: `{ rows, vectorCol?, featureCols?, predictionCol?, predictionDetailCol? }` →
   * `{ rows }`. With `Content-Type: application/x-ndjson` the body is one JSON row per line (options in the
   * query string) and the answer streams one prediction line per row; a bad line answers
   * `{"error": "...", "line": n}` and the stream goes on.
   */
  @Post(':id/predict')
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiConsumes('application/json', NDJSON)
  @ApiBody({ type: PredictDto })
  @ApiOkResponse({ type: PredictResultDto })
  async predict(@Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PredictResultDto | void> {
    const pipe = createValidationPipe();
    if (req.is(NDJSON)) {
      const query = { ...(req.query as Record<string, unknown>) };
      if (typeof query.featureCols === 'string') query.featureCols = query.featureCols.split(',');
      const options = (await pipe.transform({ rows: [], ...query }, { type: 'body', metatype: PredictDto })) as PredictDto;
      const predictor = await this.models.predictor(id, options);
      res.status(200).setHeader('Content-Type', NDJSON);
      res.flushHeaders();
      const lines = readline.createInterface({ input: req, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.trim() === '') continue;
        let out: unknown;
        try {
          const row = JSON.parse(line) as unknown;
          if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error('each line must be one JSON object');
          out = predictRow(predictor, row as Record<string, unknown>, n);
        } catch (err) {
          const r = (err as { getResponse?: () => unknown }).getResponse?.() as { message?: string } | undefined;
          out = { error: r?.message ?? `line ${n}: ${(err as Error).message}`, line: n };
        }
        if (!res.write(`${JSON.stringify(out)}\n`)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
      return;
    }
    const body = (await pipe.transform(req.body, { type: 'body', metatype: PredictDto })) as PredictDto;
    return { rows: await this.models.predictRows(id, body) };
  }
}
