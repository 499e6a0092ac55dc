import { cliFlagName, isParameterVisible, parameterForFlag, paramsJsonSchema, resolveParams, setterName } from './params';
import type { ComponentDescription } from './types';

const description: ComponentDescription = {
  id: 'demo',
  displayName: 'Demo',
  category: 'Clustering',
  version: 1,
  description: 'a component for tests',
  icon: 'demo',
  inputs: [{ name: 'data', label: 'Data', type: 'table' }],
  outputs: [{ name: 'model', label: 'Model', type: 'model' }],
  parameters: [
    { name: 'vectorCol', label: 'Vector column', tab: 'field', type: 'column', port: 0, required: true, help: 'h' },
    { name: 'k', label: 'k', tab: 'parameter', type: 'int', default: 2, min: 1, max: 10, help: 'h' },
    { name: 'epsilon', label: 'epsilon', tab: 'parameter', type: 'double', default: 1e-4, min: 0, help: 'h' },
    {
      name: 'init',
      label: 'Start',
      tab: 'parameter',
      type: 'enum',
      default: 'kmeans',
      options: [
        { value: 'kmeans', label: 'k-means' },
        { value: 'refined', label: 'refined' },
      ],
      help: 'h',
    },
    { name: 'samplings', label: 'Samplings', tab: 'parameter', type: 'int', default: 100, min: 1, showIf: { init: ['refined'] }, help: 'h' },
    { name: 'forcePositive', label: 'Force positive', tab: 'parameter', type: 'boolean', default: true, help: 'h' },
    { name: 'reservedCols', label: 'Reserved', tab: 'field', type: 'columns', port: 0, help: 'h' },
  ],
};

describe('resolveParams', () => {
  it('strict (JSON input): a string, boolean or list of the wrong JSON type is an error naming the parameter, not converted', () => {
    const raw = { vectorCol: 'features', k: '3', forcePositive: 'false', reservedCols: 'a,b' };
    const strict = resolveParams(description, raw, { strict: true });
    expect(strict.errors.map((e) => e.parameter)).toEqual(['k', 'forcePositive', 'reservedCols']);
    expect(strict.errors[0].message).toBe('k must be a JSON number, got "3"; values are not converted');
    expect(strict.params.k).toBeUndefined();
    // text input (CLI flags, query strings) still converts
    const lenient = resolveParams(description, raw);
    expect(lenient.errors).toEqual([]);
    expect(lenient.params).toMatchObject({ k: 3, forcePositive: false, reservedCols: ['a', 'b'] });
  });

  it('refuses prototype keys as names, in columns lists too', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const { errors } = resolveParams(description, { vectorCol: key, reservedCols: ['x', key] });
      expect(errors.map((e) => e.parameter)).toEqual(['vectorCol', 'reservedCols']);
      expect(errors[0].message).toContain(`cannot be "${key}"`);
    }
  });

  it('fills defaults and keeps given values', () => {
    const { params, errors } = resolveParams(description, { vectorCol: 'features', k: 5 });
    expect(errors).toEqual([]);
    expect(params).toEqual({ vectorCol: 'features', k: 5, epsilon: 1e-4, init: 'kmeans', forcePositive: true });
  });

  it('reports a missing required parameter by name', () => {
    const { errors } = resolveParams(description, {});
    expect(errors).toEqual([{ parameter: 'vectorCol', message: expect.stringContaining('is required') }]);
  });

  it('refuses a fractional int but accepts a fractional double', () => {
    expect(resolveParams(description, { vectorCol: 'f', k: 2.5 }).errors).toEqual([
      { parameter: 'k', message: 'k must be an integer, got 2.5' },
    ]);
    expect(resolveParams(description, { vectorCol: 'f', epsilon: 0.25 }).params.epsilon).toBe(0.25);
  });

  it('checks min and max', () => {
    expect(resolveParams(description, { vectorCol: 'f', k: 0 }).errors[0]).toEqual({ parameter: 'k', message: 'k must be at least 1, got 0' });
    expect(resolveParams(description, { vectorCol: 'f', k: 11 }).errors[0]).toEqual({ parameter: 'k', message: 'k must be at most 10, got 11' });
    expect(resolveParams(description, { vectorCol: 'f', epsilon: -1 }).errors[0].parameter).toBe('epsilon');
  });

  it('checks enum values against the options', () => {
    const { errors } = resolveParams(description, { vectorCol: 'f', init: 'bogus' });
    expect(errors).toEqual([{ parameter: 'init', message: 'Start must be one of kmeans, refined, got "bogus"' }]);
  });

  it('names unknown parameters', () => {
    const { errors } = resolveParams(description, { vectorCol: 'f', maxIters: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0].parameter).toBe('maxIters');
    expect(errors[0].message).toContain('unknown parameter "maxIters"');
  });

  it('includes showIf parameters only when their condition holds', () => {
    expect(resolveParams(description, { vectorCol: 'f' }).params).not.toHaveProperty('samplings');
    expect(resolveParams(description, { vectorCol: 'f', init: 'refined' }).params.samplings).toBe(100);
    // a hidden parameter's bad value is not validated
    expect(resolveParams(description, { vectorCol: 'f', samplings: -4 }).errors).toEqual([]);
    expect(resolveParams(description, { vectorCol: 'f', init: 'refined', samplings: -4 }).errors[0].parameter).toBe('samplings');
  });

  it('converts CLI strings: numbers, booleans, comma-separated columns', () => {
    const { params, errors } = resolveParams(description, { vectorCol: 'f', k: '7', forcePositive: 'false', reservedCols: 'a, b' });
    expect(errors).toEqual([]);
    expect(params).toMatchObject({ k: 7, forcePositive: false, reservedCols: ['a', 'b'] });
    expect(resolveParams(description, { vectorCol: 'f', k: 'seven' }).errors[0].parameter).toBe('k');
    expect(resolveParams(description, { vectorCol: 'f', forcePositive: 'yes' }).errors[0].parameter).toBe('forcePositive');
  });
});

describe('enums (multi-select) parameters', () => {
  const multi: ComponentDescription = {
    ...description,
    parameters: [{ name: 'shapes', label: 'Shapes', tab: 'parameter', type: 'enums', default: ['a', 'b', 'c'], options: ['a', 'b', 'c'].map((v) => ({ value: v, label: v.toUpperCase() })), help: 'h' }],
  };

  it("defaults to the description's list, keeps the options' order, and takes CLI text comma separated", () => {
    expect(resolveParams(multi, {}).params.shapes).toEqual(['a', 'b', 'c']);
    expect(resolveParams(multi, { shapes: ['c', 'a'] }, { strict: true })).toEqual({ params: { shapes: ['a', 'c'] }, errors: [] });
    expect(resolveParams(multi, { shapes: 'c, b' }).params.shapes).toEqual(['b', 'c']);
  });

  it('refuses, naming the parameter: an empty list, an unknown or repeated value, and (JSON) a string', () => {
    const error = (raw: unknown, strict = true) => resolveParams(multi, { shapes: raw as string[] }, { strict }).errors;
    expect(error([])).toEqual([{ parameter: 'shapes', message: 'Shapes must list at least one of a, b, c' }]);
    expect(error('', false)).toEqual([{ parameter: 'shapes', message: 'Shapes must list at least one of a, b, c' }]);
    expect(error(['a', 'round'])).toEqual([{ parameter: 'shapes', message: 'Shapes must hold only a, b, c, got "round"' }]);
    expect(error(['a', 'a'])).toEqual([{ parameter: 'shapes', message: 'shapes lists "a" twice' }]);
    expect(error('a,b')).toEqual([{ parameter: 'shapes', message: 'Shapes must be a JSON array, got "a,b"; values are not converted' }]);
  });

  it('is an array of the options in the JSON schema', () => {
    expect((paramsJsonSchema(multi).properties as Record<string, unknown>).shapes).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ['a', 'b', 'c'] },
      minItems: 1,
      uniqueItems: true,
      default: ['a', 'b', 'c'],
    });
  });
});

describe('isParameterVisible', () => {
  it('follows showIf', () => {
    const samplings = description.parameters.find((p) => p.name === 'samplings')!;
    expect(isParameterVisible(samplings, { init: 'refined' })).toBe(true);
    expect(isParameterVisible(samplings, { init: 'kmeans' })).toBe(false);
    expect(isParameterVisible(description.parameters[1], {})).toBe(true);
  });
});

describe('names derived from descriptions', () => {
  it.each([
    ['maxIter', '--max-iter', 'setMaxIter'],
    ['k', '--k', 'setK'],
    ['memoryPerWorkerMb', '--memory-per-worker-mb', 'setMemoryPerWorkerMb'],
    ['vectorCol', '--vector-col', 'setVectorCol'],
  ])('%s → %s, %s', (name, flag, setter) => {
    expect(cliFlagName(name)).toBe(flag);
    expect(setterName(name)).toBe(setter);
  });

  it('maps a flag back to its parameter', () => {
    expect(parameterForFlag(description, '--vector-col')?.name).toBe('vectorCol');
    expect(parameterForFlag(description, '--nope')).toBeUndefined();
  });

  it('takes a description\'s cliFlag over the kebab-case name, both ways', () => {
    const tuned: ComponentDescription = {
      ...description,
      parameters: [...description.parameters, { name: 'numWorkers', label: 'Workers', tab: 'execution', type: 'int', default: 1, cliFlag: 'workers', help: 'h' }],
    };
    const workers = tuned.parameters.at(-1)!;
    expect(cliFlagName(workers)).toBe('--workers');
    expect(cliFlagName('numWorkers', tuned)).toBe('--workers');
    expect(cliFlagName('maxIter', tuned)).toBe('--max-iter');
    expect(parameterForFlag(tuned, '--workers')?.name).toBe('numWorkers');
    expect(parameterForFlag(tuned, 'workers')?.name).toBe('numWorkers');
    expect(parameterForFlag(tuned, '--num-workers')).toBeUndefined();
  });

  it('derives a JSON schema with types, bounds, enums and required', () => {
    const s = paramsJsonSchema(description) as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(s.required).toEqual(['vectorCol']);
    expect(s.properties.k).toMatchObject({ type: 'integer', minimum: 1, maximum: 10, default: 2 });
    expect(s.properties.init.enum).toEqual(['kmeans', 'refined']);
    expect(s.properties.reservedCols).toMatchObject({ type: 'array', items: { type: 'string' } });
  });
});
