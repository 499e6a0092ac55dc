import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ExecutionEngine } from '@mixflow/executor';
import { EXECUTION_ENGINE } from '../registry/tokens';

const { version } = require('../../package.json') as { version: string };

export class HealthDto {
  status!: 'ok';
  /** inline | local | redis */
  engine!: string;
  version!: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine) {}

  @Get()
  health(): HealthDto {
    return { status: 'ok', engine: this.engine.kind, version };
  }
}
