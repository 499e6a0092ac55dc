/** The real `mixflow` bin as a child process: what a user gets after `npm install`. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PAI_CSV } from './__fixtures__/test-io';

const BIN = path.resolve(__dirname, '..', 'bin', 'mixflow.js');

function mixflow(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, MIXFLOW_ENGINE: 'local' }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('bin/mixflow.js', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-bin-'));

  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await mixflow(['--help'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/gmm-train[\s\S]*gmm-predict[\s\S]*gmm-probability[\s\S]*gmm-generate[\s\S]*estimate[\s\S]*worker/);
  }, 120_000);

  it('trains on the local engine, predicts, and exits 0', async () => {
    const train = await mixflow(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--workers', '2', '--memory-mb', '1024', '--output', 'm.json', '--json'], cwd);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(JSON.parse(train.stdout)).toMatchObject({ k: 2, rows: 15, engine: 'local' });
    const predict = await mixflow(['gmm-predict', '--model', 'm.json', '--input', PAI_CSV, '--prediction-col', 'c', '--reserved-cols', 'id'], cwd);
    expect(predict.code).toBe(0);
    expect(predict.stdout.trim().split('\n')).toHaveLength(16);
  }, 120_000);

  it('draws progress bars on a terminal (a pseudo-terminal through script(1)), and none with --quiet', async () => {
    // script -q -e -c CMD /dev/null runs CMD on a new pseudo-terminal and copies what it prints to our stdout
    const onTerminal = (extra: string[]) => new Promise<string>((resolve, reject) => {
      const command = [process.execPath, BIN, ...extra, 'gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--init', 'random', '--epsilon', '0', '--max-iter', '5', '--json'].join(' ');
      execFile('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, MIXFLOW_ENGINE: 'inline', MIXFLOW_PROGRESS_DELAY_MS: '0', TERM: 'xterm' }, timeout: 120_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout));
    });
    const shown = await onTerminal([]);
    expect(shown).toMatch(/gmm-train reading \S+pai\.csv \[[=█░ -]+\] 100%/);
    expect(shown).toMatch(/gmm-train \[[=█░ -]+\] iteration \d\/5 \| trial 1 \| mean log-likelihood -?\d+\.\d{6}/);
    expect(shown).toMatch(/\u001b\[/); // redrawn in place with terminal control sequences, not line after line
    const quiet = await onTerminal(['--quiet']);
    expect(quiet).not.toMatch(/\[[=█░ -]+\]/);
    expect(JSON.parse(quiet.slice(quiet.indexOf('{'))).k).toBe(2);
  }, 120_000);

  it('gmm-train draws the k-means start before the EM bar on a terminal (the seconds before iteration 1 on a large input)', async () => {
    const command = [process.execPath, BIN, 'gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--trials', '2', '--epsilon', '0', '--max-iter', '3', '--json'].join(' ');
    const shown = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, MIXFLOW_ENGINE: 'inline', MIXFLOW_PROGRESS_DELAY_MS: '0', TERM: 'xterm' }, timeout: 120_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout));
    });
    const start = (trial: number) => new RegExp(`gmm-train starting \\[[=█░ -]+\\] k-means\\+\\+ seeding, center \\d of 2 \\| trial ${trial} \\| \\d+\\.\\d s`);
    expect(shown).toMatch(start(1));
    expect(shown).toMatch(start(2));
    expect(shown).toMatch(/gmm-train starting \[[=█░ -]+\] k-means iteration \d+ \(at most 300\) \| trial 1/);
    // each trial's start comes before its iterations
    expect(shown.search(start(1))).toBeLessThan(shown.search(/iteration \d\/3 \| trial 1/));
    expect(shown.search(start(2))).toBeGreaterThan(shown.search(/iteration \d\/3 \| trial 1/));
    expect(shown.search(start(2))).toBeLessThan(shown.search(/iteration \d\/3 \| trial 2/));
  }, 120_000);

  it('gmm-predict draws a reading and a prediction bar (rows) on a terminal; none with --quiet, none on a pipe', async () => {
    const trained = await mixflow(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--output', 'bar-model.json'], cwd);
    expect(trained.code).toBe(0);
    const args = ['gmm-predict', '--model', 'bar-model.json', '--input', PAI_CSV, '--output', 'bar-out.csv'];
    const env = { ...process.env, MIXFLOW_ENGINE: 'inline', MIXFLOW_PROGRESS_DELAY_MS: '0', TERM: 'xterm' };
    const onTerminal = (extra: string[]) => new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', [process.execPath, BIN, ...extra, ...args].join(' '), '/dev/null'], { cwd, env, timeout: 120_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout));
    });
    const shown = await onTerminal([]);
    expect(shown).toMatch(/gmm-predict reading \S+pai\.csv \[[=█░ -]+\] 100%/);
    expect(shown).toMatch(/gmm-predict predicting \[[=]+\] 15\/15 rows/);
    expect(shown).toMatch(/\u001b\[/);
    expect(fs.readFileSync(path.join(cwd, 'bar-out.csv'), 'utf8').trim().split('\n')).toHaveLength(16);
    expect(await onTerminal(['--quiet'])).not.toMatch(/\[[=█░ -]+\]/);
    const piped = await new Promise<string>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 120_000 }, (_error, _stdout, stderr) => resolve(stderr));
    });
    expect(piped).toBe(`gmm-predict: 15 rows written to bar-out.csv\n`);
  }, 120_000);

  it('bad arguments exit 2 with one line on stderr', async () => {
    const { code, stdout, stderr } = await mixflow(['gmm-train', '--input', PAI_CSV, '--vector-col', 'features', '--k', '-1'], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('mixflow gmm-train: --k must be at least 1, got -1\n');
  }, 120_000);
});
