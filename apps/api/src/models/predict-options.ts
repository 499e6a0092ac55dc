import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { createValidationPipe } from '../common/validation';
import { formatOf, type PredictFormat } from '../serving/formats';
import { PredictDto } from './dto/model.dto';

/** The body's format by Content-Type: JSON, NDJSON or CSV; any other type is a 415 listing them. */
export function requestFormat(req: Request): PredictFormat {
  const format = formatOf(req.headers['content-type']);
  if (!format) {
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      message: `send the rows as application/json ({ rows }), application/x-ndjson (one JSON row per line) or text/csv (a header line, then one record per line), not ${req.headers['content-type'] ?? 'a body without Content-Type'}`,
      error: 'Unsupported Media Type',
    });
  }
  return format;
}

/** A stream's options, from the query string (featureCols comma separated). */
export function queryOptions(req: Request): Record<string, unknown> {
  const query = { ...(req.query as Record<string, unknown>) };
  if (typeof query.featureCols === 'string') query.featureCols = query.featureCols.split(',');
  return { rows: [], ...query };
}

/** The prediction options, validated as PredictDto (a 400 names the field). */
export async function predictOptions(raw: Record<string, unknown>): Promise<PredictDto> {
  return (await createValidationPipe().transform(raw, { type: 'body', metatype: PredictDto })) as PredictDto;
}

export { predictParams } from '../serving/predict-params';
