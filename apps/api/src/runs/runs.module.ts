import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatasetsModule } from '../datasets/datasets.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { ModelsModule } from '../models/models.module';
import { RunLogEntity } from './entities/run-log.entity';
import { RunEntity } from './entities/run.entity';
import { RunsController } from './runs.controller';
import { RunEventsService } from './run-events.service';
import { RunOutputsService } from './run-outputs.service';
import { RunStoreService } from './run-store.service';
import { RunViewsService } from './run-views.service';
import { RunsService } from './runs.service';

@Module({
  imports: [TypeOrmModule.forFeature([RunEntity, RunLogEntity]), DatasetsModule, ExperimentsModule, ModelsModule],
  controllers: [RunsController],
  providers: [RunsService, RunStoreService, RunEventsService, RunOutputsService, RunViewsService],
  exports: [RunsService],
})
export class RunsModule {}
