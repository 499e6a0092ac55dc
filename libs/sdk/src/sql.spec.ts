import { BatchOperator, FilterBatchOp, MemSourceBatchOp, Mixflow, SdkError, SelectBatchOp, WhereBatchOp } from './index';

const mixflow = new Mixflow({ engine: 'inline' });
const source = () =>
  new MemSourceBatchOp(
    [
      ['Ohio', 3, 5],
      ['Texas', 4, 6],
      ['Ohio', 5, 1],
    ],
    'f1 string, f2 long, f3 long',
  );

describe('SQL in the SDK, as Alink writes it', () => {
  it("source.registerTableName('A'); BatchOperator.sqlQuery('select f1 from A where f2 > 4')", async () => {
    source().registerTableName('A');
    const rows = await BatchOperator.sqlQuery('select f1 from A where f2 > 4').collect(mixflow);
    expect(rows).toEqual([['Ohio']]);
  });

  it('joins two registered tables; the graph is one SQL Script node with two inputs', async () => {
    const states = new MemSourceBatchOp([['Ohio', 'OH'], ['Texas', 'TX']], 'name string, code string');
    source().registerTableName('facts');
    states.registerTableName('States');
    const query = BatchOperator.sqlQuery('select s.code, sum(f.f3) as total from facts f join states s on f.f1 = s.name group by s.code order by s.code');
    expect(await query.collect(mixflow)).toEqual([
      ['OH', 6],
      ['TX', 6],
    ]);
    const node = query.toGraph().nodes.find((n) => n.componentId === 'sql-script')!;
    expect(node.params).toMatchObject({ tableNames: 'facts,States' });
  });

  it('a query naming no registered table, or a bad name, throws', () => {
    expect(() => BatchOperator.sqlQuery('select 1 from nowhere_at_all')).toThrow(SdkError);
    expect(() => source().registerTableName('1x')).toThrow(/registerTableName\("1x"\)/);
  });

  it('FilterBatchOp / WhereBatchOp setClause and SelectBatchOp setClause', async () => {
    expect(await new FilterBatchOp().setClause("f1='Ohio'").linkFrom(source()).collect(mixflow)).toEqual([
      ['Ohio', 3, 5],
      ['Ohio', 5, 1],
    ]);
    expect(await new WhereBatchOp().setClause('f2 = 4').linkFrom(source()).collect(mixflow)).toEqual([['Texas', 4, 6]]);
    expect(await new SelectBatchOp().setClause('f1 as name, f2 + f3 as s').linkFrom(source()).collect(mixflow)).toEqual([
      ['Ohio', 8],
      ['Texas', 10],
      ['Ohio', 6],
    ]);
  });

  it('a SQL error names the operator and the parameter', async () => {
    await expect(new FilterBatchOp().setClause('nope > 1').linkFrom(source()).collect(mixflow)).rejects.toThrow(/FilterBatchOp.*clause.*nope/s);
  });
});
