import { Module } from '@nestjs/common';
import { ServingService } from './serving.service';

/** The serving threads and the streaming of prediction bodies through them (models' and deployments' predict routes). */
@Module({
  providers: [ServingService],
  exports: [ServingService],
})
export class ServingModule {}
