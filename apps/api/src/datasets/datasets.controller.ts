import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { badRequest } from '../common/api-error.filter';
import { DatasetsService, toDatasetDto } from './datasets.service';
import { DatasetDto, PageQueryDto, TablePageDto, UploadDatasetDto } from './dto/dataset.dto';
import { UploadGuardInterceptor } from './upload.interceptor';

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Get()
  list(): Promise<DatasetDto[]> {
    return this.datasets.list();
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.get(id));
  }

  /**
   * Upload a CSV with a header row (multipart field `file`, optional `name`). The file is streamed to a
   * temporary file, parsed (schema inference, vector dimensions) and moved into the data folder.
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
    if (!file) throw badRequest("send the CSV as the multipart field 'file'", { field: 'file' });
    return this.datasets.createFromUpload(file.path, file.originalname, body.name);
  }

  /** A page of rows. */
  @Get(':id/preview')
  preview(@Param('id') id: string, @Query() page: PageQueryDto): Promise<TablePageDto> {
    return this.datasets.preview(id, page.offset ?? 0, page.limit ?? 50);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.datasets.remove(id);
  }
}
