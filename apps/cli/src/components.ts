/** The components the CLI's commands are derived from: every package in plugins/, loaded once. */
import { loadPlugins, type ComponentDefinition, type ComponentRegistry } from '@mixflow/component-sdk';

let registry: ComponentRegistry | undefined;

export function components(): ComponentRegistry {
  registry ??= loadPlugins();
  return registry;
}

export function component(id: 'gmm-train' | 'gmm-predict'): ComponentDefinition {
  return components().get(id);
}
