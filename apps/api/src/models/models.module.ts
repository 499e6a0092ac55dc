import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { diskStorage } from 'multer';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { ServingModule } from '../serving/serving.module';
import { StorageService } from '../storage/storage.service';
import { ModelEntity } from './entities/model.entity';
import { ModelFilesService, modelFileLimitBytes } from './model-files.service';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ModelEntity]),
    ServingModule,
    // an imported model file streams to <data>/tmp, never into memory on the API's thread
    MulterModule.registerAsync({
      inject: [ConfigService, StorageService],
      useFactory: (config: ConfigService, storage: StorageService) => ({
        storage: diskStorage({ destination: storage.tmpDir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.upload`) }),
        limits: { fileSize: modelFileLimitBytes(config), files: 1, fields: 8, fieldSize: 4096 },
        defParamCharset: 'utf8',
      }),
    }),
    // MIXFLOW_PREDICT_RATE: prediction requests per minute and client (routes with ThrottlerGuard); 0 = no limit
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const rate = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).predictRatePerMinute;
        return {
          throttlers: [{ name: 'predict', ttl: 60_000, limit: Math.max(1, rate) }],
          skipIf: () => rate === 0,
          errorMessage: `more than ${rate} prediction requests in a minute from this client (MIXFLOW_PREDICT_RATE); wait and retry`,
        };
      },
    }),
  ],
  controllers: [ModelsController],
  providers: [ModelsService, ModelFilesService],
  exports: [ModelsService],
})
export class ModelsModule {}
