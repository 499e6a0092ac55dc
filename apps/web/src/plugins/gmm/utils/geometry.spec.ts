import type { GmmModelJson } from '../types';
import { componentCovariance, covarianceEllipse, eigenSym2, eigenSymmetric, ellipsePoints, pca2, projectGaussian, scatterGeometry } from './geometry';

const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThan(tol);

/** Mahalanobis distance² of p from the Gaussian (mu, cov), 2-D. */
function mahalanobis2(p: { x: number; y: number }, mu: number[], cov: number[][]): number {
  const [a, b, c] = [cov[0][0], cov[0][1], cov[1][1]];
  const det = a * c - b * b;
  const dx = p.x - mu[0];
  const dy = p.y - mu[1];
  return (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
}

describe('covariance ellipses', () => {
  it('an axis-aligned covariance gives semi-axes of nStd·σ along x and y', () => {
    const e = covarianceEllipse([1, 2], [[4, 0], [0, 1]], 2);
    expect(e).toMatchObject({ cx: 1, cy: 2, rx: 4, ry: 2, angle: 0 });
    const tall = covarianceEllipse([0, 0], [[1, 0], [0, 9]], 1);
    close(tall.rx, 3);
    close(tall.ry, 1);
    close(Math.abs(tall.angle), Math.PI / 2);
  });

  it('a correlated covariance tilts the ellipse by 45° and every outline point sits at Mahalanobis distance nStd', () => {
    const cov = [[2, 1.5], [1.5, 2]];
    const e = covarianceEllipse([3, -1], cov, 2);
    close(e.angle, Math.PI / 4);
    close(e.rx, 2 * Math.sqrt(3.5));
    close(e.ry, 2 * Math.sqrt(0.5));
    for (const p of ellipsePoints(e, 36)) close(mahalanobis2(p, [3, -1], cov), 4, 1e-9);
  });

  it('eigenSym2 eigenvalues sum to the trace and multiply to the determinant', () => {
    const { l1, l2 } = eigenSym2(5, -2, 1);
    close(l1 + l2, 6);
    close(l1 * l2, 5 - 4);
    expect(l1).toBeGreaterThanOrEqual(l2);
  });

  it('the outline closes on itself', () => {
    const pts = ellipsePoints({ cx: 0, cy: 0, rx: 2, ry: 1, angle: 0.3 }, 10);
    expect(pts).toHaveLength(11);
    close(pts[0].x, pts[10].x);
    close(pts[0].y, pts[10].y);
  });
});

describe('PCA projection', () => {
  it('Jacobi eigen-decomposition reconstructs a symmetric matrix', () => {
    const m = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 1]];
    const { values, vectors } = eigenSymmetric(m);
    expect(values[0]).toBeGreaterThan(values[1]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const r = values.reduce((s, l, k) => s + l * vectors[k][i] * vectors[k][j], 0);
      close(r, m[i][j], 1e-9);
    }
  });

  it('finds the direction of largest spread of 3-D points lying on a tilted line plus small noise', () => {
    // points along (1, 1, 0)/√2, a little spread along z
    const pts = Array.from({ length: 50 }, (_, i) => [i, i, (i % 2) * 0.1]);
    const p = pca2(pts);
    close(Math.abs(p.axes[0][0]), Math.SQRT1_2, 1e-6);
    close(Math.abs(p.axes[0][1]), Math.SQRT1_2, 1e-6);
    expect(p.explained[0]).toBeGreaterThan(0.99);
    close(p.axes[0].reduce((s, x, j) => s + x * p.axes[1][j], 0), 0, 1e-9);
    expect(p.labels[0]).toMatch(/^PC1 \(\d+\.\d %\)$/);
  });

  it('projects a Gaussian consistently with projecting its samples: Σ\' = W Σ Wᵀ', () => {
    const pts = [[0, 0, 0], [2, 0, 1], [0, 3, 1], [1, 1, 4], [3, 2, 2]];
    const p = pca2(pts);
    const cov = [[2, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 3]];
    const g = projectGaussian(p, [1, 1, 1], cov);
    // variance along axis 0 = w0ᵀ Σ w0
    const w = p.axes[0];
    const expected = w.reduce((s, wi, i) => s + wi * cov[i].reduce((t, c, j) => t + c * w[j], 0), 0);
    close(g.cov[0][0], expected);
    close(g.cov[0][1], g.cov[1][0]);
  });

  it('rejects data with fewer than two dimensions by name', () => {
    expect(() => pca2([[1], [2]])).toThrow('PCA needs at least one row of two or more dimensions (got 2 × 1).');
  });
});

describe('scatterGeometry', () => {
  const base = { type: 'mixflow.gmm' as const, version: 1 as const, k: 2, weights: [0.5, 0.5], means: [[0, 0], [5, 5]] };

  it('uses the first two dimensions for 2-D models and expands diag/spherical covariances', () => {
    const diag: GmmModelJson = { ...base, dims: 2, covarianceType: 'diag', covariances: [[1, 4], [9, 1]] };
    expect(componentCovariance(diag, 1)).toEqual([[9, 0], [0, 1]]);
    const sph: GmmModelJson = { ...base, dims: 2, covarianceType: 'spherical', covariances: [2, 3] };
    expect(componentCovariance(sph, 0)).toEqual([[2, 0], [0, 2]]);
    const g = scatterGeometry(diag, [[1, 2], [5, 6]], ['a', 'b']);
    expect(g.points).toEqual([[1, 2], [5, 6]]);
    expect(g.projection.labels).toEqual(['a', 'b']);
    expect(g.ellipses[0]).toMatchObject({ cx: 0, cy: 0, component: 0 });
    close(g.ellipses[0].rx, 4); // 2σ along y, σ² = 4
  });

  it('projects models above two dimensions with PCA, one ellipse per component', () => {
    const m: GmmModelJson = { ...base, dims: 3, covarianceType: 'tied', means: [[0, 0, 0], [4, 4, 4]], covariances: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
    const pts = [[0, 0, 0.1], [0.2, -0.1, 0], [4, 4, 4.2], [3.9, 4.1, 4]];
    const g = scatterGeometry(m, pts);
    expect(g.projection.labels[0]).toMatch(/^PC1/);
    expect(g.ellipses).toHaveLength(2);
    // identity covariance stays a circle of radius 2 under an orthonormal projection
    close(g.ellipses[1].rx, 2, 1e-9);
    close(g.ellipses[1].ry, 2, 1e-9);
    // the two means are far apart along PC1
    expect(Math.abs(g.ellipses[1].cx - g.ellipses[0].cx)).toBeGreaterThan(6);
    g.points.flat().forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });
});
