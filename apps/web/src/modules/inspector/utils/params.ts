import type { ComponentDescription, FieldError, ParameterDescription, ParameterValue, Params, TableSchema } from '../../../types/contracts';

/** The parameters a freshly dropped node starts with: every declared default. */
export function defaultParams(d: ComponentDescription): Params {
  const out: Params = {};
  for (const p of d.parameters) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}

/** Same rule as the component SDK's isParameterVisible: every showIf entry must match. */
export function isParameterVisible(p: ParameterDescription, params: Params): boolean {
  if (!p.showIf) return true;
  return Object.entries(p.showIf).every(([name, allowed]) => allowed.some((v) => v === (params[name] ?? null)));
}

export function valueOf(p: ParameterDescription, params: Params): ParameterValue | undefined {
  return params[p.name] !== undefined ? params[p.name] : p.default;
}

const isEmpty = (v: ParameterValue | undefined) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Inline validation of one node's parameters against its description and the schemas of its inputs
 * (`inputSchemas[port]`, undefined while the port is unconnected or unknown). Messages say what to do.
 */
export function validateParams(d: ComponentDescription, params: Params, inputSchemas: readonly (TableSchema | undefined)[] = []): FieldError[] {
  const errors: FieldError[] = [];
  for (const p of d.parameters) {
    if (!isParameterVisible(p, params)) continue;
    const v = valueOf(p, params);
    if (isEmpty(v)) {
      if (p.required) {
        errors.push({ parameter: p.name, message: p.type === 'column' || p.type === 'columns' ? `Choose a column for ${p.label}.` : `${p.label} is required.` });
      }
      continue;
    }
    switch (p.type) {
      case 'int':
      case 'double': {
        const n = typeof v === 'number' ? v : Number(v);
        if (typeof v === 'boolean' || !Number.isFinite(n)) {
          errors.push({ parameter: p.name, message: `${p.label} must be a number.` });
          break;
        }
        if (p.type === 'int' && !Number.isInteger(n)) errors.push({ parameter: p.name, message: `${p.label} must be a whole number.` });
        else if (p.min !== undefined && n < p.min) errors.push({ parameter: p.name, message: `${p.label} must be at least ${p.min}${rangeText(p)}.` });
        else if (p.max !== undefined && n > p.max) errors.push({ parameter: p.name, message: `${p.label} must be at most ${p.max}${rangeText(p)}.` });
        break;
      }
      case 'enum':
        if (p.options && !p.options.some((o) => o.value === v)) {
          errors.push({ parameter: p.name, message: `${p.label} must be one of ${p.options.map((o) => o.label).join(', ')}.` });
        }
        break;
      case 'column':
      case 'columns': {
        const schema = inputSchemas[p.port ?? 0];
        if (!schema) break; // unknown until the input is connected; the server reports that
        const names = Array.isArray(v) ? v : [String(v)];
        for (const name of names) {
          const col = schema.columns.find((c) => c.name === name);
          if (!col) errors.push({ parameter: p.name, column: name, message: `Column “${name}” is not in the input; pick one of ${schema.columns.map((c) => c.name).join(', ')}.` });
          else if (p.columnTypes && !p.columnTypes.includes(col.type)) {
            errors.push({ parameter: p.name, column: name, message: `Column “${name}” is ${col.type}; ${p.label} needs ${p.columnTypes.join(' or ')}.` });
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return errors;
}

function rangeText(p: ParameterDescription): string {
  if (p.min !== undefined && p.max !== undefined) return ` (range ${p.min} – ${p.max})`;
  return '';
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
