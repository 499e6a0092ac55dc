/**
 * Code from descriptions and graphs:
 * - generateOperatorsSource: the typed operator classes (src/generated/operators.ts) from the component
 *   descriptions, so a setter's name and type come from the description and a wrong one does not compile;
 * - graphToSdkCode: a canvas experiment's graph as SDK code that builds the same graph again.
 */
import { setterName, type ComponentDescription, type ParameterDescription, type ParameterValue } from '@mixflow/component-sdk';
import type { Graph } from '@mixflow/workflow';
import { definitionOf, isStreamComponent, operatorName } from './components';
import { SdkError } from './errors';
import { METRICS_CLASSES } from './metrics';

function tsType(p: ParameterDescription): string {
  switch (p.type) {
    case 'int':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'columns':
      return 'readonly string[]';
    case 'enum':
      return (p.options ?? []).map((o) => JSON.stringify(o.value)).join(' | ') || 'string';
    case 'enums':
      return `readonly (${(p.options ?? []).map((o) => JSON.stringify(o.value)).join(' | ') || 'string'})[]`;
    default:
      return 'string';
  }
}

function docComment(p: ParameterDescription, indent: string): string {
  const facts = [`${p.type}`];
  if (p.default !== undefined && p.default !== null) facts.push(`default ${JSON.stringify(p.default)}`);
  if (p.min !== undefined || p.max !== undefined) facts.push(`range [${p.min ?? '-∞'}, ${p.max ?? '∞'}]`);
  if (p.required) facts.push('required');
  const text = `${p.label} (${p.name}; ${facts.join('; ')}): ${p.help}`.replace(/\*\//g, '* /');
  return `${indent}/** ${text} */\n`;
}

/** The source of src/generated/operators.ts for these descriptions (the data sources are written by hand). */
export function generateOperatorsSource(descriptions: readonly ComponentDescription[]): string {
  const out: string[] = [
    '// Generated from the component descriptions by libs/sdk/src/codegen.ts; do not edit.',
    '// Regenerate: UPDATE_GENERATED=1 npx jest --selectProjects sdk -t "generated operators"',
    "import type { Mixflow } from '../mixflow';",
    "import { ComponentBatchOp, ComponentStreamOp, type BatchOperator, type Row } from '../operator';",
  ];
  const metricsClasses = [...new Set(descriptions.map((d) => METRICS_CLASSES[d.id]).filter((c) => c !== undefined))].sort();
  if (metricsClasses.length) out.push(`import { ${metricsClasses.join(', ')} } from '../metrics';`);
  out.push('');
  for (const d of descriptions) {
    const name = operatorName(d.id);
    const stream = isStreamComponent(d.id);
    out.push(`/** ${d.displayName}: ${d.description.replace(/\*\//g, '* /')} */`);
    out.push(`export class ${name} extends ${stream ? 'ComponentStreamOp' : 'ComponentBatchOp'} {`);
    out.push(`  static readonly componentId = ${JSON.stringify(d.id)};`);
    if (stream) {
      const models = d.inputs.filter((p) => p.type === 'model');
      const args = models.map((p) => `${p.name}?: BatchOperator`).join(', ');
      const list = models.map((p) => p.name).join(', ');
      out.push(`  constructor(${args}) {`);
      out.push(`    super(${JSON.stringify(d.id)}, [${list}].filter((m): m is BatchOperator => m !== undefined));`);
      out.push('  }');
    } else {
      out.push('  constructor() {');
      out.push(`    super(${JSON.stringify(d.id)});`);
      out.push('  }');
    }
    for (const p of d.parameters) {
      out.push('');
      out.push(docComment(p, '  ').trimEnd());
      const value = p.type === 'columns' || p.type === 'enums' ? '[...value]' : 'value';
      out.push(`  ${setterName(p)}(value: ${tsType(p)}): this {`);
      out.push(`    return this.set(${JSON.stringify(p.name)}, ${value});`);
      out.push('  }');
    }
    // outputs after port 0 (collect/getModel read port 0): one collect<Port>() each, e.g. collectCandidates()
    d.outputs.forEach((port, i) => {
      if (i === 0 || port.type !== 'table' || stream) return;
      out.push('');
      out.push(`  /** ${port.label} (output ${i}): its rows. */`);
      out.push(`  collect${port.name.charAt(0).toUpperCase()}${port.name.slice(1)}(mixflow?: Mixflow): Promise<Row[]> {`);
      out.push(`    return this.collectOutput(${i}, mixflow);`);
      out.push('  }');
    });
    // an evaluation: its one output row holds the metrics (Alink's collectMetrics)
    const metricsClass = METRICS_CLASSES[d.id];
    if (metricsClass && !stream) {
      out.push('');
      out.push(`  /** The metrics, with Alink's getters. */`);
      out.push(`  async collectMetrics(mixflow?: Mixflow): Promise<${metricsClass}> {`);
      out.push(`    return ${metricsClass}.fromTable(await this.collectTable(mixflow), this.operatorName);`);
      out.push('  }');
    }
    out.push('}');
    out.push('');
  }
  return out.join('\n');
}

function literal(value: ParameterValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

function variableName(nodeId: string, taken: Set<string>): string {
  const base = nodeId.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[^A-Za-z_]+/, '') || 'node';
  const camel = base.charAt(0).toLowerCase() + base.slice(1);
  let name = camel;
  for (let i = 2; taken.has(name); i++) name = `${camel}${i}`;
  taken.add(name);
  return name;
}

/**
 * SDK code that builds `graph` again: one exported operator per node (in dependency order), its parameters
 * as setters, its inputs with linkFrom. Stream components take their model operators in the constructor.
 */
export function graphToSdkCode(graph: Graph): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, { source: string; sourcePort: number; port: number }[]>();
  for (const e of graph.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) throw new SdkError(`edge ${e.id} links a node that is not in the graph.`);
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), { source: e.source, sourcePort: e.sourcePort ?? 0, port: e.targetPort }]);
  }
  // dependency order, keeping the graph's own order among independent nodes
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new SdkError(`the graph has a cycle through node ${id}.`, { nodeId: id });
    state.set(id, 'visiting');
    for (const { source } of [...(incoming.get(id) ?? [])].sort((a, b) => a.port - b.port)) visit(source);
    state.set(id, 'done');
    order.push(id);
  };
  graph.nodes.forEach((n) => visit(n.id));

  const taken = new Set<string>();
  const varOf = new Map<string, string>();
  // output port n > 0 of a node is its side output n - 1 (Alink's getSideOutput)
  const operand = (i: { source: string; sourcePort: number }) => (i.sourcePort > 0 ? `${varOf.get(i.source)}.getSideOutput(${i.sourcePort - 1})` : varOf.get(i.source));
  const classes = new Set<string>();
  const body: string[] = [];
  for (const id of order) {
    const node = byId.get(id)!;
    const description = definitionOf(node.componentId).description;
    const className = operatorName(node.componentId);
    classes.add(className);
    const name = variableName(id, taken);
    varOf.set(id, name);
    const inputs = [...(incoming.get(id) ?? [])].sort((a, b) => a.port - b.port);
    const stream = isStreamComponent(node.componentId);
    const ctorArgs = stream ? inputs.filter((i) => description.inputs[i.port]?.type === 'model') : [];
    const linked = inputs.filter((i) => !ctorArgs.includes(i));
    const lines = [`export const ${name} = new ${className}(${ctorArgs.map(operand).join(', ')})`];
    for (const p of description.parameters) {
      const value = node.params[p.name];
      if (value === undefined || value === null) continue;
      lines.push(`  .${setterName(p)}(${literal(value)})`);
    }
    for (const name of Object.keys(node.params)) {
      if (!description.parameters.some((p) => p.name === name)) {
        throw new SdkError(`node ${id} (${node.componentId}) has a parameter ${name} that the component does not have.`, { nodeId: id, parameter: name });
      }
    }
    if (linked.length > 0) lines.push(`  .linkFrom(${linked.map(operand).join(', ')})`);
    body.push(lines.join('\n') + ';');
  }
  const header = `import { ${[...classes].sort().join(', ')} } from '@mixflow/sdk';`;
  return [header, '', ...body, ''].join('\n');
}
