import { withoutPaths } from './paths';

describe('withoutPaths', () => {
  it('shortens absolute paths to their last segment', () => {
    expect(withoutPaths("ENOENT: no such file or directory, open '/srv/mixflow/data/runs/r1/x.csv'")).toBe("ENOENT: no such file or directory, open 'x.csv'");
    expect(withoutPaths('cannot read /tmp/a/b.cols (row 3)')).toBe('cannot read b.cols (row 3)');
    expect(withoutPaths('folder /var/lib/mixflow/ is full')).toBe('folder mixflow is full');
  });

  it('leaves URLs, relative paths, ids and ordinary text alone', () => {
    for (const text of ['Redis at redis://127.0.0.1:6379 is unreachable', 'see http://localhost:3000/api/docs', "node '../x' is not an id", 'a/b/c', 'k must be at most 1000', '1/2 done', "dataset 'x' does not exist; GET /api/datasets lists them", 'POST /api/models/m1/predict']) {
      expect(withoutPaths(text)).toBe(text);
    }
  });
});
