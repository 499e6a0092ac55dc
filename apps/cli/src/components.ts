/** The components the CLI's commands are derived from, registered from the plugins the CLI ships with. */
import { ComponentRegistry, type ComponentDefinition } from '@mixflow/component-sdk';
import gmmPlugin from '@mixflow/plugin-gmm';
import dataPlugin from '@mixflow/plugin-data';

let registry: ComponentRegistry | undefined;

export function components(): ComponentRegistry {
  if (!registry) {
    registry = new ComponentRegistry();
    registry.register(gmmPlugin);
    registry.register(dataPlugin);
  }
  return registry;
}

export function component(id: 'gmm-train' | 'gmm-predict'): ComponentDefinition {
  return components().get(id);
}
