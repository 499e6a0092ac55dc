import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120_000);

/** Converts a CSV in a child process (the built libraries) with a V8 heap of `heapMb`: whole (readCsv + writeParquet) or in batches. */
function convert(mode: 'whole' | 'batches', csv: string, parquet: string, heapMb: number): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const { readCsv, scanCsv } = require('@mixflow/table');
    const { csvBatchesToParquet, writeParquet } = require('@mixflow/data-engine');
    const [mode, csv, out] = process.argv.slice(1);
    (async () => {
      if (mode === 'whole') { const t = await readCsv(csv); await writeParquet(t, out); console.log(t.rowCount); }
      else console.log(await csvBatchesToParquet(csv, await scanCsv(csv), out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  // run from this library's folder, so '@mixflow/...' resolves to the built packages as any program of ours sees them
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '-e', script, mode, csv, parquet], { cwd: resolve(__dirname, '..'), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('csvBatchesToParquet memory', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mixflow-csv-memory-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a 29 MB vector CSV with a 32 MB heap, where reading it whole runs out of memory', async () => {
    const csv = join(dir, 'vectors.csv');
    const out = createWriteStream(csv);
    out.write('id,features,label\n');
    const rows = 200_000;
    let text = '';
    for (let r = 0; r < rows; r++) {
      const v: number[] = [];
      for (let j = 0; j < 20; j++) v.push(((r * 31 + j * 17) % 1000) / 1000 + j);
      text += `${r},"${v.join(' ')}",${r % 3}\n`;
      if (text.length > 1 << 20) {
        if (!out.write(text)) await once(out, 'drain');
        text = '';
      }
    }
    out.end(text);
    await once(out, 'finish');

    const batches = convert('batches', csv, join(dir, 'batches.parquet'), 32);
    expect(batches.stderr).toBe('');
    expect(batches.stdout.trim()).toBe(String(rows));
    const whole = convert('whole', csv, join(dir, 'whole.parquet'), 32);
    expect(whole.status).not.toBe(0);
    expect(whole.stderr).toMatch(/heap out of memory/i);
  });
});
