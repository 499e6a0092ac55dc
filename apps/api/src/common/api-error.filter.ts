import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { GraphValidationError } from '@mixflow/workflow';
import { withoutPaths } from './paths';

/** The error body of docs/rest-api.md. */
export interface ApiErrorBody {
  statusCode: number;
  message: string;
  error: string;
  details?: Record<string, unknown>;
  /** every problem, when there are several (graph validation) */
  errors?: Record<string, unknown>[];
}

const DETAIL_KEYS = ['nodeId', 'edgeId', 'parameter', 'column', 'row', 'field', 'port', 'component'] as const;

function pickDetails(details: unknown): Record<string, unknown> | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) {
    const v = (details as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Errors the libraries throw for bad input, by name: ComponentError, TableError/CsvError, and an engine's `*InputError`. */
const INPUT_ERROR_NAMES = new Set(['ComponentError', 'TableError', 'CsvError', 'CsvParseError']);
const isInputErrorName = (name: string) => INPUT_ERROR_NAMES.has(name) || name.endsWith('InputError');

export function isInputError(err: unknown): err is Error & { details?: unknown } {
  return err instanceof Error && (isInputErrorName(err.name) || isInputErrorName(err.constructor.name));
}

export function badRequest(message: string, details?: Record<string, unknown>, errors?: Record<string, unknown>[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, message, error: 'Bad Request', ...(details ? { details } : {}), ...(errors ? { errors } : {}) });
}

/**
 * Every error leaves as `{ statusCode, message, error, details? }`: HttpExceptions keep their status,
 * input errors of the libraries and graph validation errors become 400 with the location in `details`.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.message = withoutPaths(body.message);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof GraphValidationError) {
      const first = exception.errors[0];
      return { statusCode: 400, message: exception.message, error: 'Bad Request', details: pickDetails(first), errors: exception.errors.map((e) => ({ ...e })) };
    }
    if (isInputError(exception)) {
      return { statusCode: 400, message: exception.message, error: 'Bad Request', details: pickDetails(exception.details) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'string') return { statusCode: status, message: res, error: STATUS_CODES[status] ?? exception.name };
      const r = res as Record<string, unknown>;
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message);
      return {
        statusCode: status,
        message,
        error: String(r.error ?? HttpStatus[status] ?? exception.name),
        ...(r.details ? { details: r.details as Record<string, unknown> } : {}),
        ...(r.errors ? { errors: r.errors as Record<string, unknown>[] } : {}),
      };
    }
    return { statusCode: 500, message: 'internal error; see the server log', error: 'Internal Server Error' };
  }
}
