import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ExecutionEngine } from '@mixflow/executor';
import { EXECUTION_ENGINE } from '../registry/tokens';

const { version } = require('../../package.json') as { version: string };

export class HealthDto {
  /** down when a service the engine needs does not answer (then the status code is 503) */
  status!: 'ok' | 'down';
  /** inline | local | redis */
  engine!: string;
  version!: string;
  /** the Redis engine's server: up when it answers a PING within a second */
  redis?: 'up' | 'down';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine) {}

  /** Whether the server and its engine are up (503 when a service the engine needs is down). */
  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'the server and its engine are up' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'a service the engine needs (Redis) is down' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const services = (await this.engine.services?.()) ?? {};
    const down = Object.values(services).includes('down');
    if (down) res.status(503);
    return { status: down ? 'down' : 'ok', engine: this.engine.kind, version, ...services };
  }
}
