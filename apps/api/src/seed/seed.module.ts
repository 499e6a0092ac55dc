import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatasetsModule } from '../datasets/datasets.module';
import { ExperimentEntity } from '../experiments/entities/experiment.entity';
import { ExperimentsModule } from '../experiments/experiments.module';
import { SeedService } from './seed.service';

@Module({ imports: [TypeOrmModule.forFeature([ExperimentEntity]), DatasetsModule, ExperimentsModule], providers: [SeedService] })
export class SeedModule {}
