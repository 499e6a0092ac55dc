/**
 * The component descriptions the SDK is generated from and runs with. Loaded from the repo's plugins folder
 * (libs do not import plugins; the component SDK's loader finds them), or a registry the caller provides.
 */
import { loadPlugins, type ComponentDefinition, type ComponentRegistry } from '@mixflow/component-sdk';

let registry: ComponentRegistry | undefined;

export function sdkRegistry(): ComponentRegistry {
  registry ??= loadPlugins();
  return registry;
}

/** Use these components instead of the plugins folder's (an app that registered its own plugins). */
export function setSdkRegistry(custom: ComponentRegistry): void {
  registry = custom;
}

export function definitionOf(componentId: string): ComponentDefinition {
  return sdkRegistry().get(componentId);
}

/** gmm-train → GmmTrainBatchOp, gmm-predict-stream → GmmPredictStreamOp (Alink's names). */
export function operatorName(componentId: string): string {
  const stream = componentId.endsWith('-stream');
  const base = stream ? componentId.slice(0, -'-stream'.length) : componentId;
  const pascal = base
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${pascal}${stream ? 'StreamOp' : 'BatchOp'}`;
}

export function isStreamComponent(componentId: string): boolean {
  return componentId.endsWith('-stream');
}
