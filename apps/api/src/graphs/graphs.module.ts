import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module';
import { GraphsController } from './graphs.controller';

@Module({ imports: [DatasetsModule], controllers: [GraphsController] })
export class GraphsModule {}
