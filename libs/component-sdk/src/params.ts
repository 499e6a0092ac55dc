import type { ComponentDescription, FieldError, ParameterDescription, ParameterValue, Params, TabId } from './types';

/**
 * The PAI tabs in their order, the one definition: the API sends them with the components, the console and the
 * CLI read them from here (this module imports nothing but types, so the console's bundle may import it).
 */
export const TABS: readonly { id: TabId; label: string }[] = [
  { id: 'field', label: 'Field Setting' },
  { id: 'parameter', label: 'Parameter Setting' },
  { id: 'execution', label: 'Execution Tuning' },
];

/** True when every showIf condition holds for the given (resolved) values. */
export function isParameterVisible(p: ParameterDescription, params: Params): boolean {
  if (!p.showIf) return true;
  return Object.entries(p.showIf).every(([name, allowed]) => allowed.some((v) => valueEquals(v, params[name])));
}

function valueEquals(a: ParameterValue | undefined, b: ParameterValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function isUnset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Names that would reach an object's prototype when a row becomes `{ [column]: value }`: never a column name. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ResolveOptions {
  /**
   * JSON input (the REST API): values must already have the parameter's type; `"3"` for an int is an error, not 3.
   * Off for CLI flags and query strings, whose values are text.
   */
  strict?: boolean;
}

/** JSON input: the type a value must already have; undefined when text is the parameter's own type. */
function strictTypeError(p: ParameterDescription, raw: unknown): string | undefined {
  const expected = p.type === 'int' || p.type === 'double' ? 'number' : p.type === 'boolean' ? 'boolean' : p.type === 'columns' || p.type === 'enums' ? 'array' : undefined;
  if (!expected) return undefined;
  if ((Array.isArray(raw) ? 'array' : typeof raw) === expected) return undefined;
  return `${sentenceLabel(p)} must be a JSON ${expected}, got ${JSON.stringify(raw)}; values are not converted`;
}

/**
 * Converts one raw value to the parameter's type. Strings are accepted for numbers and booleans (CLI flags,
 * query strings) and comma-separated strings for `columns`, unless `strict`. Returns an error message instead
 * when it cannot.
 */
function coerce(p: ParameterDescription, raw: unknown, options: ResolveOptions = {}): { value: ParameterValue } | { error: string } {
  const strictError = options.strict ? strictTypeError(p, raw) : undefined;
  if (strictError) return { error: strictError };
  const prototypeKey = [raw].flat().find((x) => typeof x === 'string' && PROTOTYPE_KEYS.has(x));
  if (prototypeKey !== undefined) return { error: `${p.name} cannot be "${prototypeKey}": it is reserved (a JavaScript prototype key); choose another name` };
  switch (p.type) {
    case 'int':
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return { error: `${sentenceLabel(p)} must be ${p.type === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}` };
      if (p.type === 'int' && !Number.isInteger(n)) return { error: `${sentenceLabel(p)} must be an integer, got ${n}` };
      if (p.min !== undefined && n < p.min) return { error: `${sentenceLabel(p)} must be at least ${p.min}, got ${n}` };
      if (p.max !== undefined && n > p.max) return { error: `${sentenceLabel(p)} must be at most ${p.max}, got ${n}` };
      return { value: n };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return { error: `${sentenceLabel(p)} must be true or false, got ${JSON.stringify(raw)}` };
    case 'enum': {
      const options = p.options ?? [];
      if (typeof raw === 'string' && options.some((o) => o.value === raw)) return { value: raw };
      return { error: `${sentenceLabel(p)} must be one of ${options.map((o) => o.value).join(', ')}, got ${JSON.stringify(raw)}` };
    }
    case 'column':
    case 'string':
      if (typeof raw === 'string') return { value: raw };
      return { error: `${sentenceLabel(p)} must be ${p.type === 'column' ? 'a column name' : 'text'}, got ${JSON.stringify(raw)}` };
    case 'enums': {
      const options = (p.options ?? []).map((o) => o.value);
      const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : raw;
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return { error: `${sentenceLabel(p)} must be a list of ${options.join(', ')}, got ${JSON.stringify(raw)}` };
      if (list.length === 0) return { error: `${sentenceLabel(p)} must list at least one of ${options.join(', ')}` };
      const unknown = list.find((x) => !options.includes(x));
      if (unknown !== undefined) return { error: `${sentenceLabel(p)} must hold only ${options.join(', ')}, got "${unknown}"` };
      const dup = list.find((x, i) => list.indexOf(x) !== i);
      if (dup !== undefined) return { error: `${p.name} lists "${dup}" twice` };
      // the options' order, so the same choice is the same value whatever order it was given in
      return { value: options.filter((o) => list.includes(o)) };
    }
    case 'columns': {
      const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : raw;
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) {
        const dup = list.find((x, i) => list.indexOf(x) !== i);
        if (dup !== undefined) return { error: `${p.name} lists column "${dup}" twice` };
        return { value: list as string[] };
      }
      return { error: `${sentenceLabel(p)} must be a list of column names, got ${JSON.stringify(raw)}` };
    }
  }
}

/**
 * Fills defaults, converts and checks every parameter (type, int vs double, min/max, enum options, required),
 * drops parameters hidden by showIf, and reports unknown names. Each error names its parameter; `params`
 * holds what could be resolved, so callers can still show partial results.
 */
export function resolveParams(description: ComponentDescription, raw: Params, options: ResolveOptions = {}): { params: Params; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const known = new Map(description.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(raw ?? {})) {
    if (!known.has(name)) {
      errors.push({
        parameter: name,
        message: `unknown parameter "${name}" for ${description.displayName} (${description.id}); its parameters are ${description.parameters.map((p) => p.name).join(', ')}`,
      });
    }
  }
  // first pass: every value with its default, so showIf can look at the values that will actually apply
  const candidate: Params = {};
  for (const p of description.parameters) {
    const given = raw?.[p.name];
    if (!isUnset(given)) {
      const c = coerce(p, given, options);
      candidate[p.name] = 'value' in c ? c.value : (given as ParameterValue);
    } else if (p.default !== undefined && p.default !== null) {
      candidate[p.name] = p.default;
    }
  }
  const params: Params = {};
  for (const p of description.parameters) {
    if (!isParameterVisible(p, candidate)) continue;
    const given = raw?.[p.name];
    if (p.type === 'enums' && given !== undefined && given !== null && isUnset(given)) {
      // an empty choice is not "use the default": nothing chosen is an error naming the parameter
      const c = coerce(p, given, options);
      errors.push({ parameter: p.name, message: 'error' in c ? c.error : `${sentenceLabel(p)} must list at least one option` });
      continue;
    }
    if (isUnset(given)) {
      if (p.default !== undefined && p.default !== null) params[p.name] = p.default;
      else if (p.required) errors.push({ parameter: p.name, message: `${p.label} is required` });
      continue;
    }
    const c = coerce(p, given, options);
    if ('error' in c) errors.push({ parameter: p.name, message: c.error });
    else params[p.name] = c.value;
  }
  return { params, errors };
}

/** A label as a sentence's subject: its unit after a comma goes in brackets ("Memory per worker, MB" → "Memory per worker (MB)"). */
export function sentenceLabel(p: ParameterDescription): string {
  return p.label.replace(/, ([^,]+)$/, ' ($1)');
}

/** maxIter → max-iter (CLI flags without the dashes, URL-safe). */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/**
 * The CLI flag of a parameter: its description's cliFlag when it has one (numWorkers → --workers), else the
 * name in kebab-case (maxIter → --max-iter). Given only a name, look its description up in `description`.
 */
export function cliFlagName(p: ParameterDescription | string, description?: ComponentDescription): string {
  const parameter = typeof p === 'string' ? description?.parameters.find((q) => q.name === p) : p;
  return `--${parameter?.cliFlag ?? kebabCase(typeof p === 'string' ? p : p.name)}`;
}

/** The SDK setter of a parameter, as Alink names them: maxIter → setMaxIter, k → setK. */
export function setterName(p: ParameterDescription | string): string {
  const name = typeof p === 'string' ? p : p.name;
  return `set${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** The parameter a CLI flag (with or without the leading dashes) stands for, or undefined. */
export function parameterForFlag(description: ComponentDescription, flag: string): ParameterDescription | undefined {
  const bare = flag.replace(/^-+/, '');
  return description.parameters.find((p) => cliFlagName(p) === `--${bare}` || p.name === bare);
}

/** JSON Schema (draft 2020-12 subset, as OpenAPI 3.1 uses) of a component's parameters. */
export function paramsJsonSchema(description: ComponentDescription): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of description.parameters) {
    const s: Record<string, unknown> = { title: p.label, description: p.help };
    if (p.type === 'int') s.type = 'integer';
    else if (p.type === 'double') s.type = 'number';
    else if (p.type === 'boolean') s.type = 'boolean';
    else if (p.type === 'columns' || p.type === 'enums') s.type = 'array';
    else s.type = 'string';
    if (p.type === 'columns') s.items = { type: 'string' };
    if (p.type === 'enums') Object.assign(s, { items: { type: 'string', enum: (p.options ?? []).map((o) => o.value) }, minItems: 1, uniqueItems: true });
    if (p.type === 'enum') s.enum = (p.options ?? []).map((o) => o.value);
    if (p.min !== undefined) s.minimum = p.min;
    if (p.max !== undefined) s.maximum = p.max;
    if (p.default !== undefined && p.default !== null) s.default = p.default;
    properties[p.name] = s;
  }
  // required only when always shown: a hidden parameter is never demanded
  const required = description.parameters.filter((p) => p.required && !p.showIf && p.default === undefined).map((p) => p.name);
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}
