import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { checkDescription } from './describe-check';
import { ComponentError } from './errors';
import type { ModelCodec } from './models';
import type { ComponentDefinition, ComponentDescription, Plugin, ViewDescription } from './types';

/** Every component of every registered plugin, by id. */
export class ComponentRegistry {
  private readonly components = new Map<string, { definition: ComponentDefinition; plugin: string }>();
  private readonly pluginList: Plugin[] = [];
  private readonly codecs = new Map<string, { codec: ModelCodec; plugin: string }>();

  /** Adds a plugin's components; refuses a duplicate id or a description with problems (see checkDescription). */
  register(plugin: Plugin): void {
    for (const definition of plugin.components) {
      const id = definition.description.id;
      const existing = this.components.get(id);
      if (existing) {
        throw new ComponentError(`component id "${id}" of plugin ${plugin.name} is already registered by plugin ${existing.plugin}; ids must be unique`);
      }
      const problems = checkDescription(definition.description);
      const provided = (definition.description.views ?? []).filter((v) => 'data' in v.source);
      if (provided.length > 0 && typeof definition.viewData !== 'function') {
        problems.push(`component "${id}": views ${provided.map((v) => v.id).join(', ')} read a data provider, so the component must implement viewData`);
      }
      if (problems.length > 0) throw new ComponentError(`plugin ${plugin.name} has an invalid description: ${problems.join('; ')}`);
    }
    for (const codec of plugin.models ?? []) {
      const existing = this.codecs.get(codec.modelType);
      if (existing) {
        throw new ComponentError(`model type "${codec.modelType}" of plugin ${plugin.name} is already registered by plugin ${existing.plugin}; model types must be unique`);
      }
    }
    for (const definition of plugin.components) this.components.set(definition.description.id, { definition, plugin: plugin.name });
    for (const codec of plugin.models ?? []) this.codecs.set(codec.modelType, { codec, plugin: plugin.name });
    this.pluginList.push(plugin);
  }

  /** The component with this id; a ComponentError listing the known ids when there is none. */
  get(id: string): ComponentDefinition {
    const found = this.components.get(id);
    if (!found) {
      throw new ComponentError(`unknown component "${id}"; the registered components are ${[...this.components.keys()].join(', ') || '(none)'}`);
    }
    return found.definition;
  }

  /** A view a component declares; a ComponentError naming the declared ones when there is none with this id. */
  view(componentId: string, viewId: string): ViewDescription {
    const views = this.get(componentId).description.views ?? [];
    const view = views.find((v) => v.id === viewId);
    if (!view) {
      throw new ComponentError(`component "${componentId}" has no view "${viewId}"; its views are ${views.map((v) => v.id).join(', ') || '(none)'}`);
    }
    return view;
  }

  /** The codec of a model type; a ComponentError (a 400 in the API) naming the known types when there is none. */
  modelCodec(modelType: string): ModelCodec {
    const found = this.codecs.get(modelType);
    if (!found) {
      throw new ComponentError(`unknown model type "${modelType}"; this installation reads ${this.knownModelTypes()}; install the plugin that provides it`, {
        field: 'modelType',
      });
    }
    return found.codec;
  }

  /**
   * The codec of a model file or payload: by its `modelType`, or by the file format's own `type` field (a file
   * exported by GET /api/models/:id/export carries the format's type). A ComponentError when neither is known.
   */
  modelCodecOf(json: unknown): ModelCodec {
    const o = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as { modelType?: unknown; type?: unknown };
    if (typeof o.modelType === 'string') return this.modelCodec(o.modelType);
    const byFile = [...this.codecs.values()].find((c) => c.codec.fileType !== undefined && c.codec.fileType === o.type);
    if (byFile) return byFile.codec;
    throw new ComponentError(
      `the model names no model type this installation reads (modelType ${JSON.stringify(o.modelType)}, type ${JSON.stringify(o.type)}); it reads ${this.knownModelTypes()}`,
      { field: 'modelType' },
    );
  }

  private knownModelTypes(): string {
    return [...this.codecs.values()].map((c) => `${c.codec.modelType}${c.codec.fileType ? ` (files of type ${c.codec.fileType})` : ''}`).join(', ') || '(none)';
  }

  has(id: string): boolean {
    return this.components.has(id);
  }

  /** Every component's description, in registration order. */
  list(): ComponentDescription[] {
    return [...this.components.values()].map((c) => c.definition.description);
  }

  plugins(): readonly Plugin[] {
    return this.pluginList;
  }
}

/** The repo's plugins/ folder: this file sits in libs/component-sdk/src (jest) or libs/component-sdk/dist (node). */
export const DEFAULT_PLUGINS_DIR = resolve(__dirname, '..', '..', '..', 'plugins');

function isPlugin(x: unknown): x is Plugin {
  return typeof x === 'object' && x !== null && typeof (x as Plugin).name === 'string' && Array.isArray((x as Plugin).components);
}

/** The folders of MIXFLOW_PLUGINS (separated by the platform's path delimiter, `:` or `;`), empty ones left out. */
export function externalPluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.MIXFLOW_PLUGINS ?? '')
    .split(delimiter)
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => resolve(d));
}

/** The plugin packages a folder holds: the folder itself when it has a package.json, else its sub-folders that have one. */
function packageDirs(folder: string): string[] {
  if (existsSync(join(folder, 'package.json'))) return [folder];
  return readdirSync(folder)
    .sort()
    .map((entry) => join(folder, entry))
    .filter((dir) => existsSync(join(dir, 'package.json')));
}

/**
 * Requires one plugin package and registers its default export. From sources (jest, ts-node) a plugin's
 * src/index.ts is required when it has one, so no build is needed; otherwise the package itself (its "main").
 */
function loadPackage(registry: ComponentRegistry, dir: string): void {
  const fromSource = __filename.endsWith('.ts');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
  const name = pkg.name ?? basename(dir);
  const sourceEntry = join(dir, 'src', 'index.ts');
  const target = fromSource && existsSync(sourceEntry) ? sourceEntry : dir;
  let mod: { default?: unknown };
  try {
    mod = require(target) as { default?: unknown };
  } catch (err) {
    throw new ComponentError(`cannot load plugin ${name} from ${target}: ${(err as Error).message}${fromSource ? '' : ' (is it built? run npm run build)'}`);
  }
  const plugin = mod.default ?? mod;
  if (!isPlugin(plugin)) throw new ComponentError(`plugin ${name} (${target}) must default-export { name, components }`);
  registry.register(plugin);
}

/**
 * Registers every package of the repo's plugins/ folder (in folder-name order), then those of the external
 * folders (MIXFLOW_PLUGINS by default): each is a plugin package, or a folder of plugin packages.
 */
export function loadPlugins(pluginsDir: string = DEFAULT_PLUGINS_DIR, externalDirs: readonly string[] = externalPluginDirs()): ComponentRegistry {
  const registry = new ComponentRegistry();
  if (!existsSync(pluginsDir)) throw new ComponentError(`the plugins folder ${pluginsDir} does not exist`);
  for (const dir of packageDirs(pluginsDir)) loadPackage(registry, dir);
  for (const folder of externalDirs) {
    if (!existsSync(folder)) throw new ComponentError(`the plugin folder ${folder} (MIXFLOW_PLUGINS) does not exist; list existing folders separated by "${delimiter}"`);
    const dirs = packageDirs(folder);
    if (dirs.length === 0) throw new ComponentError(`the plugin folder ${folder} (MIXFLOW_PLUGINS) holds no plugin package (a folder with a package.json)`);
    for (const dir of dirs) loadPackage(registry, dir);
  }
  return registry;
}
