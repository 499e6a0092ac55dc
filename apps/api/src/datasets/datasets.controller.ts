import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { badRequest } from '../common/api-error.filter';
import { fileDownload } from '../common/file-download';
import { DatasetsService, toDatasetDto } from './datasets.service';
import { DatasetDto, DeletedDatasetDto, DownloadQueryDto, PageQueryDto, TablePageDto, UploadDatasetDto } from './dto/dataset.dto';
import { UploadGuardInterceptor } from './upload.interceptor';

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  /** Every stored dataset and built-in sample, with its schema, size and column statistics. */
  @Get()
  list(): Promise<DatasetDto[]> {
    return this.datasets.list();
  }

  /**
   * The deleted datasets' names, newest first: graphs that still read one name it by the name it had (the console
   * shows "old faithful (deleted)" in Read Dataset).
   */
  @Get('deleted')
  deleted(): Promise<DeletedDatasetDto[]> {
    return this.datasets.listDeleted();
  }

  /** One dataset: schema, size and column statistics. */
  @Get(':id')
  async get(@Param('id') id: string): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.get(id));
  }

  /**
   * Upload a CSV with a header row, a Parquet file or JSON lines (multipart field `file`, optional `name`; the
   * format by the file name's extension: .parquet, .jsonl/.ndjson/.json, else CSV). The file is streamed to a
   * temporary file and converted to Parquet with Alink types inferred and per-column statistics computed.
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' } },
    },
  })
  @UseInterceptors(UploadGuardInterceptor, FileInterceptor('file'))
  async upload(@UploadedFile() file: Express.Multer.File | undefined, @Body() body: UploadDatasetDto): Promise<DatasetDto> {
    if (!file) throw badRequest("send the CSV (or Parquet or JSON-lines file) as the multipart field 'file'", { field: 'file' });
    return this.datasets.createFromUpload(file.path, file.originalname, body.name);
  }

  /** A page of rows. */
  @Get(':id/preview')
  preview(@Param('id') id: string, @Query() page: PageQueryDto): Promise<TablePageDto> {
    return this.datasets.preview(id, page.offset ?? 0, page.limit ?? 50);
  }

  /** The dataset as a file, streamed: `format=csv` (default; written from the Parquet) or `format=parquet` (as stored). */
  @Get(':id/download')
  @ApiProduces('text/csv', 'application/vnd.apache.parquet')
  async download(@Param('id') id: string, @Query() q: DownloadQueryDto): Promise<StreamableFile> {
    const format = q.format ?? 'csv';
    const file = await this.datasets.download(id, format);
    return fileDownload(file, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet', file.fileName);
  }

  /** Deletes an uploaded dataset and its file (built-in samples cannot be deleted); experiments that read it then report it missing. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.datasets.remove(id);
  }
}
