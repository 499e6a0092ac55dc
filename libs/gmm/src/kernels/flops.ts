/**
 * Useful floating-point operations of one EM iteration on n rows (E-step log-densities and statistics; the M-step's
 * O(k·d³) is left out, it does not grow with n). A multiply and an add count as two. What a perfect kernel cannot
 * avoid, so achieved GFLOP/s = flops / seconds compares kernels and machines:
 *   full       2·n·k·d²: the triangular product P·(x − μ) (d² per row and component) and the lower scatter (d²)
 *   tied       2·n·d² + 8·n·k·d: one shared projection and one scatter per row, then per component as diag
 *   diag, spherical  8·n·k·d: (x − μ)·s squared and summed (4), then Σr·v and Σr·v² (4) per row, component, dimension
 */
import type { CovarianceType } from '../types';

export function emIterationFlops(type: CovarianceType, rows: number, k: number, dims: number): number {
  switch (type) {
    case 'full':
      return 2 * rows * k * dims * dims;
    case 'tied':
      return 2 * rows * dims * dims + 8 * rows * k * dims;
    case 'diag':
    case 'spherical':
      return 8 * rows * k * dims;
  }
}
