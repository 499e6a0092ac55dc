export * from './types';
export { ComponentError, type ComponentErrorDetails } from './errors';
export { resolveParams, isParameterVisible, kebabCase, cliFlagName, setterName, parameterForFlag, paramsJsonSchema } from './params';
export { checkDescription } from './describe-check';
export { ComponentRegistry, loadPlugins, DEFAULT_PLUGINS_DIR } from './registry';
export { tableInput, modelInput, modelPortSchema, findColumn } from './ports';
