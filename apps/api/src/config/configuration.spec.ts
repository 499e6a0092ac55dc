import * as path from 'node:path';
import { resolveConfig } from './configuration';

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
});
