import * as ts from 'typescript';
import * as sdk from '../index';
import type { Operator } from '../index';

/** Runs exported SDK code (as graphToSdkCode writes it) against this SDK and returns its exports. */
export function evaluate(code: string): Record<string, Operator> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, Operator> };
  const requireSdk = (name: string) => {
    if (name !== '@mixflow/sdk') throw new Error(`exported code imports ${name}`);
    return sdk;
  };
  new Function('exports', 'require', 'module', js)(module.exports, requireSdk, module);
  return module.exports;
}

export function lastExport(exports: Record<string, Operator>): Operator {
  const values = Object.values(exports);
  return values[values.length - 1];
}

