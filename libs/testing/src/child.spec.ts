import { startChild } from './child';

const node = process.execPath;

describe('startChild', () => {
  it('resolves once the output matches ready, with the match; stop ends it and gives its exit code', async () => {
    const started = await startChild(node, ['-e', "process.on('SIGTERM', () => process.exit(3)); console.error('listening on 4242'); setInterval(() => {}, 1000);"], {
      ready: /listening on (\d+)/,
    });
    expect(started.ready[1]).toBe('4242');
    expect(started.output()).toContain('listening on 4242');
    expect(await started.stop()).toBe(3);
    // stopping again answers at once
    expect(await started.stop()).toBe(3);
  });

  it('passes env and cwd to the child', async () => {
    const started = await startChild(node, ['-e', 'console.log(process.env.GREETING + " in " + process.cwd())'], { env: { GREETING: 'hello' }, cwd: '/', ready: /hello in \/\n/ });
    await started.stop();
  });

  it('rejects with the output when the child exits before it is ready', async () => {
    await expect(startChild(node, ['-e', "console.log('no luck'); process.exit(2)"], { ready: /ready/ })).rejects.toThrow(/exited with 2 before it was ready:\nno luck/);
  });

  it('rejects, and kills the child, when it is not ready in time', async () => {
    await expect(startChild(node, ['-e', 'setInterval(() => {}, 1000)'], { ready: /ready/, timeoutMs: 300 })).rejects.toThrow(/was not ready within 0\.3 s/);
  });
});
