import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModelsModule } from '../models/models.module';
import { ServingModule } from '../serving/serving.module';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { DeploymentEntity } from './entities/deployment.entity';

/** Deployments: named endpoints serving a stored model, swapped atomically (the throttler comes with ModelsModule). */
@Module({
  imports: [TypeOrmModule.forFeature([DeploymentEntity]), ModelsModule, ServingModule],
  controllers: [DeploymentsController],
  providers: [DeploymentsService],
})
export class DeploymentsModule {}
