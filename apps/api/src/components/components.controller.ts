import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ComponentRegistry, resolveParams, TABS } from '@mixflow/component-sdk';
import { badRequest } from '../common/api-error.filter';
import { COMPONENT_REGISTRY } from '../registry/tokens';
import { ComponentListDto, EstimateRequestDto, ResourceEstimateDto } from './dto/component.dto';

@ApiTags('components')
@Controller('components')
export class ComponentsController {
  constructor(@Inject(COMPONENT_REGISTRY) private readonly registry: ComponentRegistry) {}

  /** Every registered component's description, and the inspector tabs. */
  @Get()
  list(): ComponentListDto {
    return { tabs: TABS.map((t) => ({ ...t })), components: this.registry.list() as unknown as Record<string, unknown>[] };
  }

  /** The resource recommendation (PAI's formula and the data-aware figure) for given parameters and input statistics. */
  @Post(':id/estimate')
  @HttpCode(200)
  estimate(@Param('id') id: string, @Body() body: EstimateRequestDto): ResourceEstimateDto {
    if (!this.registry.has(id)) {
      throw new NotFoundException({ statusCode: 404, message: `unknown component '${id}'; GET /api/components lists them`, error: 'Not Found' });
    }
    const definition = this.registry.get(id);
    if (!definition.estimate) throw badRequest(`component '${id}' has no resource estimate`, { field: 'id' });
    const resolved = resolveParams(definition.description, body.params ?? {}, { strict: true });
    if (resolved.errors.length > 0) {
      const first = resolved.errors[0];
      throw badRequest(resolved.errors.map((e) => e.message).join('; '), { parameter: first.parameter });
    }
    const inputs = body.inputs ?? definition.description.inputs.map(() => ({}));
    return definition.estimate(resolved.params, inputs);
  }
}
