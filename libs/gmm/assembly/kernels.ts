// AssemblyScript source of the WebAssembly SIMD (f64x2) EM kernels; compiled by build-wasm.js into
// ../src/kernels/wasm/binary.ts. Each kernel mirrors a TypeScript kernel of ../src/kernels operation for operation:
// the two lanes of an f64x2 are two rows (or two entries) that the TypeScript code computes one after the other, with
// the same multiplications and additions in the same order and no fused multiply-add, so both give the same bits.
// Pointers are byte offsets of f64 arrays in this module's memory, laid out by ../src/kernels/wasm/workspace.ts.

const PRUNE_MARGIN: f64 = 800;

function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

function limitOf(prune: bool, add: f64, best: usize, i: i32, constant: f64): f64 {
  return prune ? 2 * (add - load<f64>(at(best, i)) + PRUNE_MARGIN) - constant : Infinity;
}

/** −½(constant + s) + add for both lanes of s, stored to rows i and i + 1 (i even) of column c of out, best updated. */
function storePair(s: v128, constant: f64, add: f64, out: usize, best: usize, i: i32, stride: i32, c: i32): void {
  const lp = f64x2.add(f64x2.mul(f64x2.splat(-0.5), f64x2.add(f64x2.splat(constant), s)), f64x2.splat(add));
  const lp0 = f64x2.extract_lane(lp, 0);
  const lp1 = f64x2.extract_lane(lp, 1);
  v128.store(at(out, c * stride + i), lp);
  if (lp0 > load<f64>(at(best, i))) store<f64>(at(best, i), lp0);
  if (lp1 > load<f64>(at(best, i + 1))) store<f64>(at(best, i + 1), lp1);
}

function prunePair(out: usize, i: i32, stride: i32, c: i32): void {
  v128.store(at(out, c * stride + i), f64x2.splat(-Infinity));
}

/**
 * Full covariance, d ≥ 8 (logProbFull's row-major kernel): out[c·stride + i] = log w_c + log N(x_i | μ_c, Σ_c) for
 * the m rows of xr (m × d), P lower (k × d × d); out is component-major (k × stride, stride even and > m when m is
 * odd). drp (⌈m/2⌉ × d × 2) holds row pairs interleaved: drp[p][q] = (x_2p − μ)_q,
 * (x_2p+1 − μ)_q. Two pairs run together; each pair keeps its own pruning test, as in TypeScript. drp has room for
 * one pair more than the rows fill, so an odd number of pairs runs its last one beside that spare, unstored.
 */
export function fullLogProb(
  xr: usize, m: i32, d: i32, k: i32, means: usize, pc: usize, logDet: usize, logW: usize,
  constant: f64, out: usize, stride: i32, best: usize, drp: usize, prune: bool,
): void {
  if (prune) for (let i = 0; i < m; i++) store<f64>(at(best, i), -Infinity);
  const pairs = m >> 1;
  for (let c = 0; c < k; c++) {
    const mu = at(means, c * d);
    const po = at(pc, c * d * d);
    const add = load<f64>(at(logDet, c)) + load<f64>(at(logW, c));
    for (let i = 0; i < m; i++) {
      const dst = at(drp, ((i >> 1) * d) * 2 + (i & 1));
      const src = at(xr, i * d);
      for (let q = 0; q < d; q++) store<f64>(dst + (<usize>q << 4), load<f64>(src + (<usize>q << 3)) - load<f64>(mu + (<usize>q << 3)));
    }
    for (let p = 0; p < pairs; p += 2) twoPairs(p, p + 1 < pairs, d, stride, c, po, add, constant, out, best, drp, prune);
    if (m & 1) lastRow(m - 1, d, stride, c, po, add, constant, out, best, drp, prune);
  }
}

/** Pairs p and p + 1 (rows 2p to 2p + 3) of component c; the second is a spare when !hasB (computed, not stored). */
function twoPairs(
  p: i32, hasB: bool, d: i32, stride: i32, c: i32, po: usize, add: f64, constant: f64, out: usize, best: usize, drp: usize, prune: bool,
): void {
  const i = p * 2;
  const limA = f64x2(limitOf(prune, add, best, i, constant), limitOf(prune, add, best, i + 1, constant));
  const limB = hasB ? f64x2(limitOf(prune, add, best, i + 2, constant), limitOf(prune, add, best, i + 3, constant)) : f64x2.splat(Infinity);
  const a = at(drp, p * d * 2);
  const b = at(drp, (p + 1) * d * 2);
  let sA = f64x2.splat(0);
  let sB = f64x2.splat(0);
  let prunedA = false;
  let prunedB = false;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const r0 = at(po, j * d);
    const r1 = r0 + (<usize>d << 3);
    const r2 = r1 + (<usize>d << 3);
    const r3 = r2 + (<usize>d << 3);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let b2 = f64x2.splat(0);
    let b3 = f64x2.splat(0);
    for (let q = 0; q < j + 4; q++) {
      const u = v128.load(a + (<usize>q << 4));
      const v = v128.load(b + (<usize>q << 4));
      const off = <usize>q << 3;
      const p0 = v128.load64_splat(r0 + off);
      const p1 = v128.load64_splat(r1 + off);
      const p2 = v128.load64_splat(r2 + off);
      const p3 = v128.load64_splat(r3 + off);
      a0 = f64x2.add(a0, f64x2.mul(p0, u));
      b0 = f64x2.add(b0, f64x2.mul(p0, v));
      a1 = f64x2.add(a1, f64x2.mul(p1, u));
      b1 = f64x2.add(b1, f64x2.mul(p1, v));
      a2 = f64x2.add(a2, f64x2.mul(p2, u));
      b2 = f64x2.add(b2, f64x2.mul(p2, v));
      a3 = f64x2.add(a3, f64x2.mul(p3, u));
      b3 = f64x2.add(b3, f64x2.mul(p3, v));
    }
    sA = f64x2.add(sA, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(a0, a0), f64x2.mul(a1, a1)), f64x2.mul(a2, a2)), f64x2.mul(a3, a3)));
    sB = f64x2.add(sB, f64x2.add(f64x2.add(f64x2.add(f64x2.mul(b0, b0), f64x2.mul(b1, b1)), f64x2.mul(b2, b2)), f64x2.mul(b3, b3)));
    if (prune) {
      prunedA = prunedA || i64x2.all_true(f64x2.gt(sA, limA));
      prunedB = prunedB || i64x2.all_true(f64x2.gt(sB, limB));
      if (prunedA && (prunedB || !hasB)) break;
    }
  }
  if (!(prunedA && (prunedB || !hasB))) {
    for (; j < d; j++) {
      const r = at(po, j * d);
      let ya = f64x2.splat(0);
      let yb = f64x2.splat(0);
      for (let q = 0; q <= j; q++) {
        const pq = v128.load64_splat(r + (<usize>q << 3));
        ya = f64x2.add(ya, f64x2.mul(pq, v128.load(a + (<usize>q << 4))));
        yb = f64x2.add(yb, f64x2.mul(pq, v128.load(b + (<usize>q << 4))));
      }
      sA = f64x2.add(sA, f64x2.mul(ya, ya));
      sB = f64x2.add(sB, f64x2.mul(yb, yb));
    }
  }
  if (prunedA) prunePair(out, i, stride, c);
  else storePair(sA, constant, add, out, best, i, stride, c);
  if (!hasB) return;
  if (prunedB) prunePair(out, i + 2, stride, c);
  else storePair(sB, constant, add, out, best, i + 2, stride, c);
}

function lastRow(i: i32, d: i32, stride: i32, c: i32, po: usize, add: f64, constant: f64, out: usize, best: usize, drp: usize, prune: bool): void {
  const lim0 = limitOf(prune, add, best, i, constant);
  const a = at(drp, (i >> 1) * d * 2);
  let s0: f64 = 0;
  for (let j = 0; j < d; j++) {
    const r = at(po, j * d);
    let y0: f64 = 0;
    for (let q = 0; q <= j; q++) y0 += load<f64>(r + (<usize>q << 3)) * load<f64>(a + (<usize>q << 4));
    s0 += y0 * y0;
    if (s0 > lim0) break;
  }
  if (s0 > lim0) {
    store<f64>(at(out, c * stride + i), -Infinity);
  } else {
    const lp0 = -0.5 * (constant + s0) + add;
    store<f64>(at(out, c * stride + i), lp0);
    if (lp0 > load<f64>(at(best, i))) store<f64>(at(best, i), lp0);
  }
}

/**
 * Component c's row of resp (k × stride), as gatherComponent: Σr added to sumResp[c], the rows with r ≠ 0 into idx
 * (i32) and their responsibilities into rg; returns how many there are.
 */
function gatherComponent(resp: usize, m: i32, stride: i32, c: i32, sumResp: usize, idx: usize, rg: usize): i32 {
  const col = at(resp, c * stride);
  let nk: f64 = 0;
  let count = 0;
  for (let i = 0; i < m; i++) {
    const r = load<f64>(at(col, i));
    nk += r;
    if (r != 0) {
      store<i32>(idx + (<usize>count << 2), i);
      store<f64>(at(rg, count), r);
      count++;
    }
  }
  store<f64>(at(sumResp, c), load<f64>(at(sumResp, c)) + nk);
  return count;
}

/**
 * Full covariance statistics of one block (accumulateFull): per component, Σr into sumResp, Σr·(x − s) into sumX and
 * the lower triangle of Σr·(x − s)(x − s)ᵀ into sumXX (k × d × d), over the rows with non-zero responsibility.
 * Those rows are gathered row-major with stride dp (d rounded up to 4, padding zero): dtr = x − s, wtr = r·(x − s).
 * Each entry is one sum over the gathered rows in order, added to the total, as in TypeScript; the lanes are
 * neighbouring entries.
 */
export function fullAccumulate(
  xr: usize, m: i32, d: i32, k: i32, resp: usize, stride: i32, shift: usize,
  sumResp: usize, sumX: usize, sumXX: usize, dtr: usize, wtr: usize, idx: usize, rg: usize, dp: i32,
): void {
  for (let c = 0; c < k; c++) {
    const count = gatherComponent(resp, m, stride, c, sumResp, idx, rg);
    if (count == 0) continue;
    const so = at(shift, c * d);
    for (let t = 0; t < count; t++) {
      const i = load<i32>(idx + (<usize>t << 2));
      const r = load<f64>(at(rg, t));
      const src = at(xr, i * d);
      const dst = t * dp;
      const rv = f64x2.splat(r);
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const v = f64x2.sub(v128.load(at(src, j)), v128.load(at(so, j)));
        v128.store(at(dtr, dst + j), v);
        v128.store(at(wtr, dst + j), f64x2.mul(rv, v));
      }
      if (j < d) {
        const v = load<f64>(at(src, j)) - load<f64>(at(so, j));
        store<f64>(at(dtr, dst + j), v);
        store<f64>(at(wtr, dst + j), r * v);
      }
    }
    // Σ_t r·(x − s) per dimension, eight dimensions (four f64x2) per pass over the gathered rows, each a sum over t
    // in order (one column at a time, each addition waited on the one before it)
    const sx = at(sumX, c * d);
    const rowBytes = <usize>dp << 3;
    for (let j0 = 0; j0 < d; j0 += 8) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      let wp = at(wtr, j0);
      for (let t = 0; t < count; t++) {
        s0 = f64x2.add(s0, v128.load(wp));
        s1 = f64x2.add(s1, v128.load(wp + 16));
        s2 = f64x2.add(s2, v128.load(wp + 32));
        s3 = f64x2.add(s3, v128.load(wp + 48));
        wp += rowBytes;
      }
      addColumnSums(sx, d, j0, s0);
      addColumnSums(sx, d, j0 + 2, s1);
      addColumnSums(sx, d, j0 + 4, s2);
      addColumnSums(sx, d, j0 + 6, s3);
    }
    lowerScatter(at(sumXX, c * d * d), d, wtr, dtr, dp, count);
  }
}

/** sx[j] += lane 0 of v and sx[j + 1] += lane 1, for the columns below d. */
function addColumnSums(sx: usize, d: i32, j: i32, v: v128): void {
  if (j < d) store<f64>(at(sx, j), load<f64>(at(sx, j)) + f64x2.extract_lane(v, 0));
  if (j + 1 < d) store<f64>(at(sx, j + 1), load<f64>(at(sx, j + 1)) + f64x2.extract_lane(v, 1));
}

/** S[a][b] += Σ_t w[t][a]·v[t][b] for b ≤ a < d, in blocks of 4 × 4 entries (two f64x2 per row of the block). */
function lowerScatter(s: usize, d: i32, w: usize, v: usize, dp: i32, count: i32): void {
  const stride = <usize>dp << 3;
  for (let a0 = 0; a0 < d; a0 += 4) {
    for (let b0 = 0; b0 <= a0; b0 += 4) {
      let t00 = f64x2.splat(0);
      let t01 = f64x2.splat(0);
      let t10 = f64x2.splat(0);
      let t11 = f64x2.splat(0);
      let t20 = f64x2.splat(0);
      let t21 = f64x2.splat(0);
      let t30 = f64x2.splat(0);
      let t31 = f64x2.splat(0);
      let wp = at(w, a0);
      let vp = at(v, b0);
      for (let t = 0; t < count; t++) {
        const v0 = v128.load(vp);
        const v1 = v128.load(vp + 16);
        const w0 = v128.load64_splat(wp);
        const w1 = v128.load64_splat(wp + 8);
        const w2 = v128.load64_splat(wp + 16);
        const w3 = v128.load64_splat(wp + 24);
        t00 = f64x2.add(t00, f64x2.mul(w0, v0));
        t01 = f64x2.add(t01, f64x2.mul(w0, v1));
        t10 = f64x2.add(t10, f64x2.mul(w1, v0));
        t11 = f64x2.add(t11, f64x2.mul(w1, v1));
        t20 = f64x2.add(t20, f64x2.mul(w2, v0));
        t21 = f64x2.add(t21, f64x2.mul(w2, v1));
        t30 = f64x2.add(t30, f64x2.mul(w3, v0));
        t31 = f64x2.add(t31, f64x2.mul(w3, v1));
        wp += stride;
        vp += stride;
      }
      addLowerRow(s, d, a0, b0, t00, t01);
      addLowerRow(s, d, a0 + 1, b0, t10, t11);
      addLowerRow(s, d, a0 + 2, b0, t20, t21);
      addLowerRow(s, d, a0 + 3, b0, t30, t31);
    }
  }
}

/** S[a][b0 + e] += lane e of (lo, hi) for the entries with b0 + e ≤ a and a < d. */
function addLowerRow(s: usize, d: i32, a: i32, b0: i32, lo: v128, hi: v128): void {
  if (a >= d) return;
  const row = at(s, a * d);
  const n = min(a - b0 + 1, 4);
  if (n > 0) store<f64>(at(row, b0), load<f64>(at(row, b0)) + f64x2.extract_lane(lo, 0));
  if (n > 1) store<f64>(at(row, b0 + 1), load<f64>(at(row, b0 + 1)) + f64x2.extract_lane(lo, 1));
  if (n > 2) store<f64>(at(row, b0 + 2), load<f64>(at(row, b0 + 2)) + f64x2.extract_lane(hi, 0));
  if (n > 3) store<f64>(at(row, b0 + 3), load<f64>(at(row, b0 + 3)) + f64x2.extract_lane(hi, 1));
}

/**
 * Diagonal covariance (logProbDiag): out[c·stride + i] = −½(constant + Σ_j ((x_ij − μ_cj)·s_cj)²) + log det P_c +
 * log w_c for the m rows given transposed in xt (d × stride), s = 1/σ (k × d); dimensions summed in pairs, as in
 * TypeScript. Six rows at a time (three f64x2, the lanes rows i and i + 1), their sums kept in registers over every
 * dimension (three, so that none is spilled to memory), then the last rows a pair at a time: each row's sum is the
 * same sequence of additions. With m odd the last pair's second lane is computed on whatever xt holds there (stride
 * is even and more than m) and never read.
 */
export function diagLogProb(
  xt: usize, m: i32, d: i32, k: i32, means: usize, prec: usize, logDet: usize, logW: usize,
  constant: f64, out: usize, stride: i32,
): void {
  const rowBytes = <usize>stride << 3;
  for (let c = 0; c < k; c++) {
    const mu = at(means, c * d);
    const sc = at(prec, c * d);
    const add = load<f64>(at(logDet, c));
    const lw = load<f64>(at(logW, c));
    const dst = at(out, c * stride);
    let i = 0;
    for (; i + 6 <= m; i += 6) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let r0 = at(xt, i);
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const r1 = r0 + rowBytes;
        const mu0 = v128.load64_splat(at(mu, j));
        const mu1 = v128.load64_splat(at(mu, j + 1));
        const s0 = v128.load64_splat(at(sc, j));
        const s1 = v128.load64_splat(at(sc, j + 1));
        let u = f64x2.mul(f64x2.sub(v128.load(r0), mu0), s0);
        let v = f64x2.mul(f64x2.sub(v128.load(r1), mu1), s1);
        a0 = f64x2.add(a0, f64x2.add(f64x2.mul(u, u), f64x2.mul(v, v)));
        u = f64x2.mul(f64x2.sub(v128.load(r0 + 16), mu0), s0);
        v = f64x2.mul(f64x2.sub(v128.load(r1 + 16), mu1), s1);
        a1 = f64x2.add(a1, f64x2.add(f64x2.mul(u, u), f64x2.mul(v, v)));
        u = f64x2.mul(f64x2.sub(v128.load(r0 + 32), mu0), s0);
        v = f64x2.mul(f64x2.sub(v128.load(r1 + 32), mu1), s1);
        a2 = f64x2.add(a2, f64x2.add(f64x2.mul(u, u), f64x2.mul(v, v)));
        r0 = r1 + rowBytes;
      }
      if (j < d) {
        const muj = v128.load64_splat(at(mu, j));
        const sj = v128.load64_splat(at(sc, j));
        let u = f64x2.mul(f64x2.sub(v128.load(r0), muj), sj);
        a0 = f64x2.add(a0, f64x2.mul(u, u));
        u = f64x2.mul(f64x2.sub(v128.load(r0 + 16), muj), sj);
        a1 = f64x2.add(a1, f64x2.mul(u, u));
        u = f64x2.mul(f64x2.sub(v128.load(r0 + 32), muj), sj);
        a2 = f64x2.add(a2, f64x2.mul(u, u));
      }
      storeDiagLogProb(at(dst, i), a0, constant, add, lw);
      storeDiagLogProb(at(dst, i + 2), a1, constant, add, lw);
      storeDiagLogProb(at(dst, i + 4), a2, constant, add, lw);
    }
    for (; i < m; i += 2) {
      let a0 = f64x2.splat(0);
      let r0 = at(xt, i);
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const r1 = r0 + rowBytes;
        const u = f64x2.mul(f64x2.sub(v128.load(r0), v128.load64_splat(at(mu, j))), v128.load64_splat(at(sc, j)));
        const v = f64x2.mul(f64x2.sub(v128.load(r1), v128.load64_splat(at(mu, j + 1))), v128.load64_splat(at(sc, j + 1)));
        a0 = f64x2.add(a0, f64x2.add(f64x2.mul(u, u), f64x2.mul(v, v)));
        r0 = r1 + rowBytes;
      }
      if (j < d) {
        const u = f64x2.mul(f64x2.sub(v128.load(r0), v128.load64_splat(at(mu, j))), v128.load64_splat(at(sc, j)));
        a0 = f64x2.add(a0, f64x2.mul(u, u));
      }
      storeDiagLogProb(at(dst, i), a0, constant, add, lw);
    }
  }
}

/** −½(constant + acc) + add + lw for both lanes of acc (writeWeightedLogProb), stored at p. */
function storeDiagLogProb(p: usize, acc: v128, constant: f64, add: f64, lw: f64): void {
  v128.store(p, f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(-0.5), f64x2.add(f64x2.splat(constant), acc)), f64x2.splat(add)), f64x2.splat(lw)));
}

/**
 * Diagonal covariance statistics of one block (accumulateDiag): per component, Σr into sumResp, and per dimension
 * Σr·(x − s) into sumX and Σr·(x − s)² into sumXX (both k × d), over the rows with non-zero responsibility (their
 * indices into idx, i32, and responsibilities into rg; resp is k × stride). The lanes are dimensions j and j + 1 of
 * the rows xr (m × d); six dimensions run together (as many as keep every sum in a register), so twelve sums advance
 * per row instead of two waiting on the last addition. Each entry is still one sum over the rows in order, added to the total.
 */
export function diagAccumulate(
  xr: usize, m: i32, d: i32, k: i32, resp: usize, stride: i32, shift: usize,
  sumResp: usize, sumX: usize, sumXX: usize, idx: usize, rg: usize,
): void {
  const rowBytes = <usize>d << 3;
  for (let c = 0; c < k; c++) {
    const count = gatherComponent(resp, m, stride, c, sumResp, idx, rg);
    if (count == 0) continue;
    const so = at(shift, c * d);
    const sx = at(sumX, c * d);
    const sxx = at(sumXX, c * d);
    let j = 0;
    for (; j + 5 < d; j += 6) {
      const s0 = v128.load(at(so, j));
      const s1 = v128.load(at(so, j + 2));
      const s2 = v128.load(at(so, j + 4));
      let x0 = f64x2.splat(0);
      let x1 = f64x2.splat(0);
      let x2 = f64x2.splat(0);
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let q2 = f64x2.splat(0);
      const base = at(xr, j);
      for (let t = 0; t < count; t++) {
        const row = base + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes;
        const r = v128.load64_splat(at(rg, t));
        let v = f64x2.sub(v128.load(row), s0);
        let rv = f64x2.mul(r, v);
        x0 = f64x2.add(x0, rv);
        q0 = f64x2.add(q0, f64x2.mul(rv, v));
        v = f64x2.sub(v128.load(row + 16), s1);
        rv = f64x2.mul(r, v);
        x1 = f64x2.add(x1, rv);
        q1 = f64x2.add(q1, f64x2.mul(rv, v));
        v = f64x2.sub(v128.load(row + 32), s2);
        rv = f64x2.mul(r, v);
        x2 = f64x2.add(x2, rv);
        q2 = f64x2.add(q2, f64x2.mul(rv, v));
      }
      addLanes(at(sx, j), x0);
      addLanes(at(sx, j + 2), x1);
      addLanes(at(sx, j + 4), x2);
      addLanes(at(sxx, j), q0);
      addLanes(at(sxx, j + 2), q1);
      addLanes(at(sxx, j + 4), q2);
    }
    for (; j + 1 < d; j += 2) {
      const s = v128.load(at(so, j));
      let tx = f64x2.splat(0);
      let txx = f64x2.splat(0);
      const base = at(xr, j);
      for (let t = 0; t < count; t++) {
        const r = v128.load64_splat(at(rg, t));
        const v = f64x2.sub(v128.load(base + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes), s);
        const rv = f64x2.mul(r, v);
        tx = f64x2.add(tx, rv);
        txx = f64x2.add(txx, f64x2.mul(rv, v));
      }
      addLanes(at(sx, j), tx);
      addLanes(at(sxx, j), txx);
    }
    if (j < d) {
      const sj = load<f64>(at(so, j));
      let tx: f64 = 0;
      let txx: f64 = 0;
      for (let t = 0; t < count; t++) {
        const i = load<i32>(idx + (<usize>t << 2));
        const v = load<f64>(at(xr, i * d + j)) - sj;
        const rv = load<f64>(at(rg, t)) * v;
        tx += rv;
        txx += rv * v;
      }
      store<f64>(at(sx, j), load<f64>(at(sx, j)) + tx);
      store<f64>(at(sxx, j), load<f64>(at(sxx, j)) + txx);
    }
  }
}

/** The two doubles at p += lanes of v, each its own addition. */
function addLanes(p: usize, v: v128): void {
  v128.store(p, f64x2.add(v128.load(p), v));
}

// exp(t) for t ≤ 0, as expNonPositive in ../src/kernels/exp.ts (fdlibm's algorithm, branch-free): the same constants
// and operations, so the same bits
const EXP_UNDERFLOW: f64 = -746;
const INV_LN2: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const EXP_P1: f64 = 1.66666666666666019037e-1;
const EXP_P2: f64 = -2.77777777770155933842e-3;
const EXP_P3: f64 = 6.61375632143793436117e-5;
const EXP_P4: f64 = -1.65339022054652515390e-6;
const EXP_P5: f64 = 4.13813679705723846039e-8;
const TWO_M1000: f64 = 9.332636185032189e-302;
const ROUND_TO_INT: f64 = 6755399441055744; // 1.5 · 2^52

// expLanes' constants, each twice (an f64x2), in the module's static data: one load per use in the loop, where V8 would
// otherwise build each from an immediate (three instructions) at every pass
const EXP_CONSTANTS = memory.data<f64>([
  EXP_UNDERFLOW, EXP_UNDERFLOW, INV_LN2, INV_LN2, 0.5, 0.5, LN2_HI, LN2_HI, LN2_LO, LN2_LO, EXP_P1, EXP_P1, EXP_P2, EXP_P2,
  EXP_P3, EXP_P3, EXP_P4, EXP_P4, EXP_P5, EXP_P5, 2, 2, 1, 1, ROUND_TO_INT, ROUND_TO_INT, TWO_M1000, TWO_M1000,
], 16);
const EXPONENT_BIAS = memory.data<i64>([2023, 2023], 16);

function expConstant(index: i32): v128 {
  return v128.load(EXP_CONSTANTS + (<usize>index << 4));
}

/** exp of both lanes (t ≤ 0 or NaN): 0 below EXP_UNDERFLOW, NaN for NaN, else expNonPositive's value. */
function expLanes(t: v128): v128 {
  const underflow = expConstant(0);
  const under = f64x2.lt(t, underflow);
  // lanes below the underflow are computed on EXP_UNDERFLOW (k stays in range) and replaced by 0; NaN stays NaN
  const x = v128.bitselect(underflow, t, under);
  const kf = f64x2.floor(f64x2.add(f64x2.mul(x, expConstant(1)), expConstant(2)));
  const hi = f64x2.sub(x, f64x2.mul(kf, expConstant(3)));
  const lo = f64x2.mul(kf, expConstant(4));
  const r = f64x2.sub(hi, lo);
  const r2 = f64x2.mul(r, r);
  let poly = f64x2.add(expConstant(8), f64x2.mul(r2, expConstant(9)));
  poly = f64x2.add(expConstant(7), f64x2.mul(r2, poly));
  poly = f64x2.add(expConstant(6), f64x2.mul(r2, poly));
  poly = f64x2.add(expConstant(5), f64x2.mul(r2, poly));
  const c = f64x2.sub(r, f64x2.mul(r2, poly));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(expConstant(10), c));
  const y = f64x2.sub(expConstant(11), f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^(k+1000) from its bits: exponent field k + 1000 + 1023. kf + 1.5·2^52 holds the integer k in its low bits
  // (kf is whole and −1077 ≤ kf ≤ 0, or NaN: then the lane is NaN whatever the scale), so its bits + 2023, shifted
  // by 52, are that exponent field
  const k = f64x2.add(kf, expConstant(12));
  const scale = i64x2.shl(i64x2.add(k, v128.load(EXPONENT_BIAS)), 52);
  const e = f64x2.mul(f64x2.mul(y, scale), expConstant(13));
  return v128.bitselect(f64x2.splat(0), e, under);
}

/**
 * Log-sum-exp of each row of lp (k × stride: component-major, in place into responsibilities), as normalizeLogProb:
 * the row's maximum (first largest, NaN never taken), exp(l − max) per component (exactly 1 for the maximum), their
 * sum s in component order, then every entry times 1/s. rowMax[i] and rowSum[i] receive max and s (the caller adds
 * max + log s); inv (stride) is scratch. The lanes are rows i and i + 1, and the loops run over the rows of one
 * component at a time, so the rows' exponentials are independent work; with m odd the last pair's second lane is
 * computed on whatever lp holds there (stride is even and more than m) and never read.
 */
export function normalizeRows(lp: usize, m: i32, k: i32, stride: i32, rowMax: usize, rowSum: usize, inv: usize): void {
  const n = <usize>((m + 1) >> 1) << 4;
  for (let o: usize = 0; o < n; o += 16) {
    v128.store(rowMax + o, f64x2.splat(-Infinity));
    v128.store(rowSum + o, f64x2.splat(0));
  }
  for (let c = 0; c < k; c++) {
    const col = at(lp, c * stride);
    for (let o: usize = 0; o < n; o += 16) {
      const v = v128.load(col + o);
      const mx = v128.load(rowMax + o);
      v128.store(rowMax + o, v128.bitselect(v, mx, f64x2.gt(v, mx)));
    }
  }
  for (let c = 0; c < k; c++) {
    const col = at(lp, c * stride);
    for (let o: usize = 0; o < n; o += 16) {
      const t = f64x2.sub(v128.load(col + o), v128.load(rowMax + o));
      // far below the row's best in both rows (pruned components, for one): exactly 0, no exp needed
      const e = i64x2.all_true(f64x2.lt(t, expConstant(0))) ? f64x2.splat(0) : expLanes(t);
      v128.store(col + o, e);
      v128.store(rowSum + o, f64x2.add(v128.load(rowSum + o), e));
    }
  }
  for (let o: usize = 0; o < n; o += 16) v128.store(inv + o, f64x2.div(f64x2.splat(1), v128.load(rowSum + o)));
  for (let c = 0; c < k; c++) {
    const col = at(lp, c * stride);
    for (let o: usize = 0; o < n; o += 16) v128.store(col + o, f64x2.mul(v128.load(col + o), v128.load(inv + o)));
  }
}

/** xt (d × stride) = xr (m × d) transposed, as transposeBlock. */
export function transpose(xr: usize, m: i32, d: i32, xt: usize, stride: i32): void {
  for (let i = 0; i < m; i++) {
    const src = at(xr, i * d);
    for (let j = 0; j < d; j++) store<f64>(at(xt, j * stride + i), load<f64>(src + (<usize>j << 3)));
  }
}
