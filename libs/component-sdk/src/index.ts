export * from './types';
export { ComponentError, type ComponentErrorDetails } from './errors';
export { TABS, resolveParams, PROTOTYPE_KEYS, isParameterVisible, kebabCase, cliFlagName, setterName, parameterForFlag, paramsJsonSchema } from './params';
export type { ResolveOptions } from './params';
export { checkDescription } from './describe-check';
export { standaloneContext, noDatasets, type StandaloneContextOptions } from './context';
export { ComponentRegistry, loadPlugins, externalPluginDirs, DEFAULT_PLUGINS_DIR } from './registry';
export { tableInput, modelInput, findColumn } from './ports';
export type { ModelCodec, ModelPayload, ModelPortSchema, ModelSummary, RowPredictor } from './models';
