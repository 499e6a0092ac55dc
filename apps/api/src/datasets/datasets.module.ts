import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { diskStorage } from 'multer';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { StorageService } from '../storage/storage.service';
import { DatasetsController } from './datasets.controller';
import { DatasetsService } from './datasets.service';
import { DatasetEntity } from './entities/dataset.entity';
import { DeletedDatasetEntity } from './entities/deleted-dataset.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([DatasetEntity, DeletedDatasetEntity]),
    // uploads stream to <data>/tmp (same file system as <data>/datasets, so the final rename is atomic)
    MulterModule.registerAsync({
      inject: [ConfigService, StorageService],
      useFactory: (config: ConfigService, storage: StorageService) => ({
        storage: diskStorage({ destination: storage.tmpDir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.upload`) }),
        limits: { fileSize: Math.floor(config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).maxUploadMb * 1024 * 1024), files: 1, fields: 8, fieldSize: 4096 },
        // file names in UTF-8 (browsers send them so), not busboy's latin1 default
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [DatasetsController],
  providers: [DatasetsService],
  exports: [DatasetsService],
})
export class DatasetsModule {}
