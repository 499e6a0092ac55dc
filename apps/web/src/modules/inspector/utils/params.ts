import { isParameterVisible, resolveParams } from '@mixflow/component-sdk/params';
import type { ComponentDescription, FieldError, ParameterDescription, ParameterValue, Params, TableSchema } from '../../../types/contracts';

export { isParameterVisible };

/** The parameters a freshly dropped node starts with: every declared default. */
export function defaultParams(d: ComponentDescription): Params {
  const out: Params = {};
  for (const p of d.parameters) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}

export function valueOf(p: ParameterDescription, params: Params): ParameterValue | undefined {
  return params[p.name] !== undefined ? params[p.name] : p.default;
}

/**
 * Inline validation of one node's parameters: the component SDK's own checks (required, type, range, enum,
 * showIf), the same the API runs, plus the chosen columns against the schemas of the inputs
 * (`inputSchemas[port]`, undefined while the port is unconnected or unknown). Messages say what to do.
 */
export function validateParams(d: ComponentDescription, params: Params, inputSchemas: readonly (TableSchema | undefined)[] = []): FieldError[] {
  const { params: resolved, errors } = resolveParams(d, params);
  for (const p of d.parameters) {
    if (p.type !== 'column' && p.type !== 'columns') continue;
    const v = resolved[p.name];
    // absent: hidden, unset or already flagged by resolveParams
    if (v === undefined || v === null) continue;
    const schema = inputSchemas[p.port ?? 0];
    if (!schema) continue; // unknown until the input is connected; the server reports that
    const names = Array.isArray(v) ? v : [String(v)];
    for (const name of names) {
      const col = schema.columns.find((c) => c.name === name);
      if (!col) {
        const fix = p.type === 'columns' ? `remove it from ${p.label}` : `choose another ${p.label.toLowerCase()}`;
        errors.push({ parameter: p.name, column: name, message: `Column “${name}” is not in the input: ${fix} (the input has ${schema.columns.map((c) => c.name).join(', ')}).` });
      }
      else if (p.columnTypes && !p.columnTypes.includes(col.type)) {
        errors.push({ parameter: p.name, column: name, message: `Column “${name}” is ${col.type}; ${p.label} needs ${p.columnTypes.join(' or ')}.` });
      }
    }
  }
  return errors;
}

/**
 * Client and server errors for one node. The client's message wins for a parameter it already flags (it is
 * current while the server's answer may be a keystroke behind); duplicates are dropped.
 */
export function mergeErrors(client: readonly FieldError[], server: readonly FieldError[]): FieldError[] {
  const flagged = new Set(client.map((e) => e.parameter).filter(Boolean));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of [...client, ...server.filter((e) => !e.parameter || !flagged.has(e.parameter))]) {
    const key = `${e.parameter ?? ''}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** The parameters of one tab, grouped (ungrouped first), hidden ones left out. */
export function parametersOfTab(d: ComponentDescription, tab: string, params: Params): { group: string | undefined; parameters: ParameterDescription[] }[] {
  const groups = new Map<string | undefined, ParameterDescription[]>();
  for (const p of d.parameters) {
    if (p.tab !== tab || !isParameterVisible(p, params)) continue;
    const list = groups.get(p.group) ?? [];
    list.push(p);
    groups.set(p.group, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === undefined ? -1 : b === undefined ? 1 : 0))
    .map(([group, parameters]) => ({ group, parameters }));
}
