import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import * as fs from 'node:fs';
import { catchError, Observable, throwError } from 'rxjs';
import { badRequest } from '../common/api-error.filter';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';

/**
 * Wraps multer's FileInterceptor (list it first): if anything after the upload fails (validation of the other
 * fields, parsing) the temporary file is removed, and multer's 413 for an oversize file becomes the 400 the API
 * promises, with the limit in the message.
 */
@Injectable()
export class UploadGuardInterceptor implements NestInterceptor {
  constructor(private readonly config: ConfigService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (req.file?.path) fs.rmSync(req.file.path, { force: true });
        if (err instanceof PayloadTooLargeException) {
          const { maxUploadMb } = this.config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
          return throwError(() =>
            badRequest(`the file is larger than the upload limit of ${maxUploadMb} MB; split it or raise MIXFLOW_MAX_UPLOAD_MB`, { field: 'file' }),
          );
        }
        return throwError(() => err);
      }),
    );
  }
}
