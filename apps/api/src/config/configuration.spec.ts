import * as path from 'node:path';
import { checkExposure, isLoopbackHost, resolveConfig } from './configuration';

describe('resolveConfig', () => {
  it('uses the documented defaults: 127.0.0.1:3000, ./data, ./data/mixflow.sqlite, 1024 MB uploads', () => {
    const c = resolveConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', maxUploadMb: 1024, seed: true });
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.db).toBe(path.resolve('./data/mixflow.sqlite'));
    expect(c.engine).toBeUndefined();
  });

  it('reads PORT, HOST and the MIXFLOW_* variables; the database follows MIXFLOW_DATA unless MIXFLOW_DB is set', () => {
    const c = resolveConfig({ PORT: '0', HOST: '0.0.0.0', MIXFLOW_DATA: '/tmp/x', MIXFLOW_MAX_UPLOAD_MB: '0.5', MIXFLOW_ENGINE: 'inline' });
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', dataDir: '/tmp/x', db: '/tmp/x/mixflow.sqlite', maxUploadMb: 0.5, engine: 'inline' });
    expect(resolveConfig({ MIXFLOW_DATA: '/tmp/x', MIXFLOW_DB: '/tmp/y.sqlite' }).db).toBe('/tmp/y.sqlite');
  });

  it('names the variable that is wrong', () => {
    expect(() => resolveConfig({ MIXFLOW_ENGINE: 'spark' })).toThrow(/MIXFLOW_ENGINE must be inline, local or redis, got 'spark'/);
    expect(() => resolveConfig({ MIXFLOW_MAX_UPLOAD_MB: '0' })).toThrow(/MIXFLOW_MAX_UPLOAD_MB must be a positive number/);
    expect(() => resolveConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('reads the training memory budget and whether the Redis workers share the data folder', () => {
    expect(resolveConfig({})).toMatchObject({ trainingMemoryMb: undefined, sharedData: false });
    expect(resolveConfig({ MIXFLOW_TRAINING_MEMORY_MB: '256', MIXFLOW_SHARED_DATA: '1' })).toMatchObject({ trainingMemoryMb: 256, sharedData: true });
    expect(() => resolveConfig({ MIXFLOW_TRAINING_MEMORY_MB: '-5' })).toThrow(/MIXFLOW_TRAINING_MEMORY_MB must be a positive number, got '-5'/);
  });

  it('reads the access settings: token, open serving, allowed hosts, prediction rate', () => {
    expect(resolveConfig({})).toMatchObject({ apiToken: undefined, allowOpen: false, allowedHosts: [], predictRatePerMinute: 0 });
    const c = resolveConfig({ MIXFLOW_API_TOKEN: 's3cret', MIXFLOW_ALLOW_OPEN: '1', MIXFLOW_ALLOWED_HOSTS: 'Mixflow.lan, 10.0.0.5 ,', MIXFLOW_PREDICT_RATE: '120' });
    expect(c).toMatchObject({ apiToken: 's3cret', allowOpen: true, allowedHosts: ['mixflow.lan', '10.0.0.5'], predictRatePerMinute: 120 });
  });
});

describe('checkExposure', () => {
  it('refuses a non-loopback HOST without a token, unless MIXFLOW_ALLOW_OPEN=1', () => {
    expect(() => checkExposure({ host: '0.0.0.0', allowOpen: false })).toThrow(/HOST=0.0.0.0 .* set MIXFLOW_API_TOKEN .* MIXFLOW_ALLOW_OPEN=1/);
    expect(() => checkExposure({ host: '192.168.1.20', allowOpen: false })).toThrow(/HOST=192.168.1.20/);
    expect(() => checkExposure({ host: '0.0.0.0', apiToken: 't', allowOpen: false })).not.toThrow();
    expect(() => checkExposure({ host: '0.0.0.0', allowOpen: true })).not.toThrow();
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(() => checkExposure({ host, allowOpen: false })).not.toThrow();
  });

  it('knows the loopback names', () => {
    expect(['localhost', 'app.localhost', '127.0.0.1', '[::1]', '::1', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', 'example.com', 'localhost.example.com', '128.0.0.1', '::'].some(isLoopbackHost)).toBe(false);
  });
});
