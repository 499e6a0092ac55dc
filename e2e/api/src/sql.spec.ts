import request from 'supertest';
import { closeAndRemove, followEvents, Server, startServer, tempDir, upload } from './harness';

jest.setTimeout(90_000);

const CSV = ['city,age,score', 'Ohio,41,1.5', 'Texas,25,2.5', 'Ohio,63,3', 'Utah,40,4'].join('\n') + '\n';

function sqlGraph(datasetId: string, componentId: string, params: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId } },
      { id: 'sql', componentId, position: { x: 0, y: 100 }, params },
    ],
    edges: [{ id: 'e1', source: 'read', sourcePort: 0, target: 'sql', targetPort: 0 }],
  };
}

describe('API end to end: SQL Script and Filtering and Mapping', () => {
  let server: Server;
  let url: string;
  let datasetId: string;

  beforeAll(async () => {
    server = await startServer(tempDir('sql'), { MIXFLOW_SEED: '0' });
    url = server.url;
    datasetId = (await upload(url, CSV).expect(201)).body.id;
  });
  afterAll(() => closeAndRemove(server));

  /** Saves the graph and starts a run: the response's status and body. */
  async function run(componentId: string, params: Record<string, unknown>, status: number): Promise<{ id: string; message: string; details: Record<string, unknown> }> {
    const exp = (await request(url).post('/api/experiments').send({ name: componentId, graph: sqlGraph(datasetId, componentId, params) }).expect(201)).body;
    return (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(status)).body;
  }

  it('a SQL Script runs its SELECT over t1 and its result is the node output', async () => {
    const started = await run('sql-script', { command: 'select city, avg(age) as mean_age from t1 group by city order by city' }, 201);
    expect((await followEvents(url, started.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    const out = (await request(url).get(`/api/runs/${started.id}/nodes/sql/outputs/0`).expect(200)).body;
    expect(out.columns.map((c: { name: string }) => c.name)).toEqual(['city', 'mean_age']);
    expect(out.rows).toEqual([
      ['Ohio', 52],
      ['Texas', 25],
      ['Utah', 40],
    ]);
  });

  it('Filtering and Mapping keeps the rows that meet the condition', async () => {
    const started = await run('filter-mapping', { clause: "city = 'Ohio'", selectClause: 'age' }, 201);
    expect((await followEvents(url, started.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });
    expect((await request(url).get(`/api/runs/${started.id}/nodes/sql/outputs/0`).expect(200)).body.rows).toEqual([[41], [63]]);
  });

  it('the nodes after a SQL Script see its columns before it runs: field pickers get them, a wrong column is a 400 naming the node', async () => {
    const graph = (featureCols: string[]) => {
      const g = sqlGraph(datasetId, 'sql-script', { command: 'select age * 1.0 as a, score as b, city from t1' });
      g.nodes.push({ id: 'train', componentId: 'gmm-train', position: { x: 0, y: 200 }, params: { featureCols, k: 2 } } as never);
      g.edges.push({ id: 'e2', source: 'sql', sourcePort: 0, target: 'train', targetPort: 0 });
      return g;
    };
    const configured = (await request(url).post('/api/graphs/configure').send({ graph: graph(['a', 'b']) }).expect(200)).body;
    expect(configured.nodes.sql.outputs[0].schema.columns).toEqual([
      { name: 'a', type: 'double' },
      { name: 'b', type: 'double' },
      { name: 'city', type: 'string' },
    ]);
    expect(configured.nodes.train.errors).toEqual([]);
    expect(configured.nodes.train.estimate).toBeDefined();
    const wrong = (await request(url).post('/api/graphs/configure').send({ graph: graph(['a', 'age']) }).expect(200)).body;
    expect(JSON.stringify(wrong.nodes.train.errors)).toMatch(/age/);
    const exp = (await request(url).post('/api/experiments').send({ name: 'sql then gmm', graph: graph(['a', 'age']) }).expect(201)).body;
    const refused = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(400)).body;
    expect(refused.message).toMatch(/node 'train' \(GMM Training\).*age/);
    expect((await request(url).get(`/api/experiments/${exp.id}/runs`).expect(200)).body).toEqual([]);
  });

  it('a SQL error is a 400 naming the node, the parameter and where in the SQL', async () => {
    const res = await run('sql-script', { command: 'select city,\n  agee from t1' }, 400);
    expect(res.message).toMatch(/node 'sql' \(SQL Script\): command: Binder error at line 2, column 3/);
    expect(res.details).toMatchObject({ nodeId: 'sql', parameter: 'command' });
    const filter = await run('filter-mapping', { clause: 'agee > 3' }, 400);
    expect(filter.details).toMatchObject({ nodeId: 'sql', parameter: 'clause' });
    // the console sees the same error before saving a run
    const configured = (await request(url).post('/api/graphs/configure').send({ graph: sqlGraph(datasetId, 'sql-script', { command: 'select nope from t1' }) }).expect(200)).body;
    expect(configured.nodes.sql.errors[0]).toMatchObject({ parameter: 'command', message: expect.stringMatching(/nope/) });
  });

  it('SQL cannot read a file by path or a URL: a 400, and nothing runs', async () => {
    for (const command of ["select * from read_csv('/etc/passwd')", "select * from read_csv('http://127.0.0.1:9/x.csv')"]) {
      const res = await run('sql-script', { command }, 400);
      expect(res.message).toMatch(/Permission error/);
      expect(res.message).not.toMatch(/root:/);
      expect(res.details).toMatchObject({ nodeId: 'sql', parameter: 'command' });
    }
  });
});
