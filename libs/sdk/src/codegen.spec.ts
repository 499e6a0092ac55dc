import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { generateOperatorsSource } from './codegen';
import { sdkRegistry } from './components';

const GENERATED = path.join(__dirname, 'generated', 'operators.ts');

describe('generated operators', () => {
  it('are up to date with the component descriptions (UPDATE_GENERATED=1 rewrites them)', () => {
    const expected = generateOperatorsSource(sdkRegistry().list());
    if (process.env.UPDATE_GENERATED === '1') fs.writeFileSync(GENERATED, expected);
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(expected);
  });

  it('have one typed setter per parameter, named as Alink names them', () => {
    const source = fs.readFileSync(GENERATED, 'utf8');
    for (const d of sdkRegistry().list()) {
      for (const p of d.parameters) expect(source).toContain(`set${p.name.charAt(0).toUpperCase()}${p.name.slice(1)}(value: `);
    }
    expect(source).toContain("setCovarianceType(value: \"full\" | \"diag\" | \"spherical\" | \"tied\"): this");
    expect(source).toContain('export class GmmPredictStreamOp extends ComponentStreamOp');
  });
});

describe('typed setters', () => {
  /** Type-checks a snippet against the SDK's sources and returns the diagnostics' codes and texts. */
  function typeCheck(snippet: string): string[] {
    const file = path.join(__dirname, '__typecheck__.ts');
    fs.writeFileSync(file, snippet);
    try {
      const config = ts.readConfigFile(path.resolve(__dirname, '..', '..', '..', 'tsconfig.base.json'), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.resolve(__dirname, '..', '..', '..'));
      const program = ts.createProgram([file], { ...parsed.options, types: ['node'], noEmit: true, composite: false, declaration: false, declarationMap: false });
      return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file)
        .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  it('refuse a wrong setter name or a wrong value type at compile time, and accept the right ones', () => {
    const errors = typeCheck(`
      import { GmmTrainBatchOp } from './index';
      new GmmTrainBatchOp().setVectorCol('features').setK(2).setMaxIter(100).setEpsilon(1e-4).setRandomSeed(0).setNumWorkers(2).setMemoryPerWorkerMb(1024).setCovarianceType('diag');
      new GmmTrainBatchOp().setKk(2);
      new GmmTrainBatchOp().setK('2');
      new GmmTrainBatchOp().setCovarianceType('round');
    `);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/TS2551|TS2339/);
    expect(errors[0]).toContain('setKk');
    expect(errors[1]).toMatch(/TS2345.*string.*number/);
    expect(errors[2]).toMatch(/TS2345.*"round"/);
  }, 60_000);
});
