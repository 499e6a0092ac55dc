import { cliFlagName, TABS } from './params';
import { COMPONENT_CATEGORIES, type ComponentDescription, type ParameterDescription } from './types';

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const NAME = /^[a-z][A-Za-z0-9]*$/;
const PORT_TYPES = ['table', 'model'];
const PARAM_TYPES = ['column', 'columns', 'int', 'double', 'enum', 'enums', 'boolean', 'string'];

function checkDefault(p: ParameterDescription, where: string): string[] {
  const d = p.default;
  if (d === undefined || d === null) return [];
  const problems: string[] = [];
  switch (p.type) {
    case 'int':
    case 'double':
      if (typeof d !== 'number' || !Number.isFinite(d)) problems.push(`${where}: default ${JSON.stringify(d)} is not a number`);
      else {
        if (p.type === 'int' && !Number.isInteger(d)) problems.push(`${where}: default ${d} is not an integer`);
        if (p.min !== undefined && d < p.min) problems.push(`${where}: default ${d} is below min ${p.min}`);
        if (p.max !== undefined && d > p.max) problems.push(`${where}: default ${d} is above max ${p.max}`);
      }
      break;
    case 'boolean':
      if (typeof d !== 'boolean') problems.push(`${where}: default ${JSON.stringify(d)} is not a boolean`);
      break;
    case 'enum':
      if (!(p.options ?? []).some((o) => o.value === d)) problems.push(`${where}: default ${JSON.stringify(d)} is not among the options`);
      break;
    case 'columns':
      if (!Array.isArray(d)) problems.push(`${where}: default is not a list of columns`);
      break;
    case 'enums':
      if (!Array.isArray(d) || d.length === 0) problems.push(`${where}: default is not a non-empty list of options`);
      else for (const v of d) if (!(p.options ?? []).some((o) => o.value === v)) problems.push(`${where}: default ${JSON.stringify(v)} is not among the options`);
      break;
    default:
      if (typeof d !== 'string') problems.push(`${where}: default ${JSON.stringify(d)} is not text`);
  }
  return problems;
}

/** View ids unique and kebab-case, each with a kind and a title, an output source naming an existing port. */
function checkViews(d: ComponentDescription, at: string): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, v] of (d.views ?? []).entries()) {
    const where = `${at}, view ${JSON.stringify(v.id ?? i)}`;
    if (typeof v.id !== 'string' || !ID.test(v.id)) problems.push(`${where}: id must be kebab-case`);
    if (ids.has(v.id)) problems.push(`${where}: appears twice`);
    ids.add(v.id);
    if (typeof v.kind !== 'string' || v.kind.trim() === '') problems.push(`${where}: kind is empty`);
    if (typeof v.title !== 'string' || v.title.trim() === '') problems.push(`${where}: title is empty`);
    const s = v.source as Partial<{ output: number; metrics: readonly string[]; data: string }> | undefined;
    if (s?.output !== undefined) {
      if (!Number.isInteger(s.output) || s.output < 0 || s.output >= d.outputs.length) problems.push(`${where}: source output ${s.output} is not an output port`);
    } else if (s?.metrics !== undefined) {
      if (!Array.isArray(s.metrics) || s.metrics.length === 0) problems.push(`${where}: source metrics must list at least one metric`);
    } else if (typeof s?.data !== 'string' || s.data.trim() === '') {
      problems.push(`${where}: source must be { output }, { metrics } or { data }`);
    }
  }
  return problems;
}

/**
 * Everything that makes a description incomplete or inconsistent, as sentences naming the component and
 * parameter; empty when it is fine. The registry refuses descriptions with problems.
 */
export function checkDescription(d: ComponentDescription): string[] {
  const problems: string[] = [];
  const at = `component "${d.id}"`;
  if (!ID.test(d.id)) problems.push(`${at}: id must be kebab-case`);
  for (const field of ['displayName', 'description', 'icon'] as const) {
    if (typeof d[field] !== 'string' || d[field].trim() === '') problems.push(`${at}: ${field} is empty`);
  }
  if (!(COMPONENT_CATEGORIES as readonly string[]).includes(d.category)) problems.push(`${at}: unknown category ${JSON.stringify(d.category)}; use one of ${COMPONENT_CATEGORIES.join(', ')}`);
  if (!Number.isInteger(d.version) || d.version < 1) problems.push(`${at}: version must be a positive integer`);
  if (d.inputs.length + d.outputs.length === 0) problems.push(`${at}: has no ports`);
  for (const [kind, ports] of [['input', d.inputs], ['output', d.outputs]] as const) {
    const names = new Set<string>();
    ports.forEach((port, i) => {
      if (!PORT_TYPES.includes(port.type)) problems.push(`${at}: ${kind} port ${i} has unknown type ${JSON.stringify(port.type)}`);
      if (!port.name || !port.label) problems.push(`${at}: ${kind} port ${i} needs a name and a label`);
      if (names.has(port.name)) problems.push(`${at}: two ${kind} ports are named "${port.name}"`);
      names.add(port.name);
    });
  }
  const paramNames = new Set<string>();
  const flags = new Map<string, string>();
  for (const p of d.parameters) {
    const where = `${at}, parameter "${p.name}"`;
    if (!NAME.test(p.name)) problems.push(`${where}: name must be camelCase`);
    if (paramNames.has(p.name)) problems.push(`${where}: appears twice`);
    paramNames.add(p.name);
    if (!p.label || p.label.trim() === '') problems.push(`${where}: label is empty`);
    if (!p.help || p.help.trim() === '') problems.push(`${where}: help text is empty`);
    if (!TABS.some((t) => t.id === p.tab)) problems.push(`${where}: unknown tab ${JSON.stringify(p.tab)}`);
    if (!PARAM_TYPES.includes(p.type)) problems.push(`${where}: unknown type ${JSON.stringify(p.type)}`);
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) problems.push(`${where}: min ${p.min} is above max ${p.max}`);
    if ((p.min !== undefined || p.max !== undefined) && p.type !== 'int' && p.type !== 'double') {
      problems.push(`${where}: min/max only apply to int and double parameters`);
    }
    if (p.type === 'enum') {
      if (!p.options || p.options.length === 0) problems.push(`${where}: enum without options`);
      else if (new Set(p.options.map((o) => o.value)).size !== p.options.length) problems.push(`${where}: enum options repeat a value`);
      else if (p.options.some((o) => !o.label)) problems.push(`${where}: every enum option needs a label`);
    }
    if (p.type === 'column' || p.type === 'columns') {
      if (p.port === undefined || p.port < 0 || p.port >= d.inputs.length || d.inputs[p.port].type !== 'table') {
        problems.push(`${where}: column parameters must name a table input port`);
      }
    }
    if (p.required && p.default !== undefined && p.default !== null) problems.push(`${where}: required parameters take no default`);
    if (p.cliFlag !== undefined && !ID.test(p.cliFlag)) problems.push(`${where}: cliFlag ${JSON.stringify(p.cliFlag)} must be kebab-case without the dashes`);
    const flag = cliFlagName(p);
    const holder = flags.get(flag);
    if (holder !== undefined) problems.push(`${where}: CLI flag ${flag} is already the flag of "${holder}"; give one of them another cliFlag`);
    else flags.set(flag, p.name);
    problems.push(...checkDefault(p, where));
  }
  for (const p of d.parameters) {
    for (const [other, values] of Object.entries(p.showIf ?? {})) {
      const target = d.parameters.find((q) => q.name === other);
      if (!target) problems.push(`${at}, parameter "${p.name}": showIf refers to unknown parameter "${other}"`);
      else if (target.type === 'enum') {
        for (const v of values) {
          if (!(target.options ?? []).some((o) => o.value === v)) problems.push(`${at}, parameter "${p.name}": showIf value ${JSON.stringify(v)} is not an option of "${other}"`);
        }
      }
    }
  }
  problems.push(...checkViews(d, at));
  return problems;
}
