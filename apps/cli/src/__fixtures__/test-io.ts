/** An in-memory CliIo for tests: what the CLI printed, and a cwd in a fresh temporary folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../io';

export interface TestIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function testIo(env: Record<string, string | undefined> = {}, extra: Partial<CliIo> = {}): TestIo {
  let out = '';
  let err = '';
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-cli-'));
  return {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    cwd,
    env: { MIXFLOW_ENGINE: 'inline', ...env },
    ...extra,
    out: () => out,
    err: () => err,
  };
}

export const FIXTURES = __dirname;
export const PAI_CSV = path.join(FIXTURES, 'pai.csv');
