// The full- and diagonal-covariance E-step of one chunk (rows [start, end) of a row-major n × d matrix) with AVX2,
// built at install by node-gyp (../binding.gyp); where it is not built or the CPU lacks AVX2, the WebAssembly kernels
// run instead.
//
// A port of ../assembly/kernels.ts's fullLogProb, diagLogProb, normalizeRows, fullAccumulate and diagAccumulate, block
// for block: every number is the same sequence of IEEE multiplications, additions and divisions as there, compiled
// with -ffp-contract=off (no fused multiply-add) and without -ffast-math, so the results are the WebAssembly kernels'
// bits. Only the lanes differ: four rows per __m256d where the WebAssembly kernel has two, four or eight scatter
// entries or four dimensions where it has two or four, each lane computing what its row or entry computes there.
// Pruning (full) stays per pair of rows (both rows past the limit at a check after a group of four dimensions) and per
// row for the last row of an odd block, as there.
#include <immintrin.h>
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace {

constexpr double PRUNE_MARGIN = 800;
constexpr double EXP_UNDERFLOW = -746;
constexpr double INV_LN2 = 1.4426950408889634;
constexpr double LN2_HI = 6.93147180369123816490e-1;
constexpr double LN2_LO = 1.90821492927058770002e-10;
constexpr double EXP_P1 = 1.66666666666666019037e-1;
constexpr double EXP_P2 = -2.77777777770155933842e-3;
constexpr double EXP_P3 = 6.61375632143793436117e-5;
constexpr double EXP_P4 = -1.65339022054652515390e-6;
constexpr double EXP_P5 = 4.13813679705723846039e-8;
constexpr double TWO_M1000 = 9.332636185032189e-302;
constexpr double ROUND_TO_INT = 6755399441055744;  // 1.5 · 2^52

struct Params {
  bool diag;
  int d, k, B;
  const double* means;   // k × d
  const double* pc;      // full: k × d × d, lower; diag: k × d, 1/σ
  const double* logDet;  // k
  const double* logW;    // k
  const double* shift;   // k × d
  double constant;
};

/** Doubles on 64-byte boundaries, zeroed: the 32-byte loads of a row never straddle two cache lines. */
class Aligned {
 public:
  Aligned(size_t n, double) : n_(n), p_(static_cast<double*>(std::aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64))) {
    if (!p_) throw std::bad_alloc();
    std::memset(p_, 0, n * sizeof(double));
  }
  ~Aligned() { std::free(p_); }
  Aligned(const Aligned&) = delete;
  Aligned& operator=(const Aligned&) = delete;
  double* data() { return p_; }
  const double* data() const { return p_; }
  double& operator[](size_t i) { return p_[i]; }
  double operator[](size_t i) const { return p_[i]; }

 private:
  size_t n_;
  double* p_;
};

/** Scratch of one chunk's blocks. */
struct Scratch {
  explicit Scratch(const Params& p)
      : dp((p.d + 3) / 4 * 4),
        // rows four to a group, interleaved (dq[g][q][lane]); room for two spare groups
        dq((p.B / 4 + 2) * p.d * 4, 0),
        resp(p.k * p.B + 8, 0),
        best(p.B + 8, 0),
        idx(p.B, 0),
        rg(p.B, 0),
        // gathered rows, stride dp, with a spare row: the 4 × 8 scatter blocks read up to 4 values past a row
        dtr((p.B + 1) * dp + 8, 0),
        wtr((p.B + 1) * dp + 8, 0),
        inv(p.B + 8, 0),
        xq((p.B / 4 + 2) * p.d * 4, 0),
        mx(p.B + 8, 0),
        sum(p.B + 8, 0),
        xt(p.diag ? static_cast<size_t>(p.d) * p.B : 0, 0) {}
  int dp;
  Aligned dq, resp, best;
  std::vector<int> idx;
  // xq: the block's rows in dq's layout (four rows interleaved), before the mean is taken off
  Aligned rg, dtr, wtr, inv, xq, mx, sum;
  // diag: the block's rows transposed (d × B)
  Aligned xt;
};

inline double limitOf(double add, double best, double constant) { return 2 * (add - best + PRUNE_MARGIN) - constant; }

/** expLanes of ../assembly/kernels.ts on four lanes. */
inline __m256d expLanes(__m256d t) {
  const __m256d underflow = _mm256_set1_pd(EXP_UNDERFLOW);
  const __m256d under = _mm256_cmp_pd(t, underflow, _CMP_LT_OQ);
  const __m256d x = _mm256_blendv_pd(t, underflow, under);
  const __m256d kf = _mm256_floor_pd(_mm256_add_pd(_mm256_mul_pd(x, _mm256_set1_pd(INV_LN2)), _mm256_set1_pd(0.5)));
  const __m256d hi = _mm256_sub_pd(x, _mm256_mul_pd(kf, _mm256_set1_pd(LN2_HI)));
  const __m256d lo = _mm256_mul_pd(kf, _mm256_set1_pd(LN2_LO));
  const __m256d r = _mm256_sub_pd(hi, lo);
  const __m256d r2 = _mm256_mul_pd(r, r);
  __m256d poly = _mm256_add_pd(_mm256_set1_pd(EXP_P4), _mm256_mul_pd(r2, _mm256_set1_pd(EXP_P5)));
  poly = _mm256_add_pd(_mm256_set1_pd(EXP_P3), _mm256_mul_pd(r2, poly));
  poly = _mm256_add_pd(_mm256_set1_pd(EXP_P2), _mm256_mul_pd(r2, poly));
  poly = _mm256_add_pd(_mm256_set1_pd(EXP_P1), _mm256_mul_pd(r2, poly));
  const __m256d c = _mm256_sub_pd(r, _mm256_mul_pd(r2, poly));
  const __m256d q = _mm256_div_pd(_mm256_mul_pd(r, c), _mm256_sub_pd(_mm256_set1_pd(2), c));
  const __m256d y = _mm256_sub_pd(_mm256_set1_pd(1), _mm256_sub_pd(_mm256_sub_pd(lo, q), hi));
  const __m256i k = _mm256_castpd_si256(_mm256_add_pd(kf, _mm256_set1_pd(ROUND_TO_INT)));
  const __m256d scale = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(k, _mm256_set1_epi64x(2023)), 52));
  const __m256d e = _mm256_mul_pd(_mm256_mul_pd(y, scale), _mm256_set1_pd(TWO_M1000));
  return _mm256_blendv_pd(e, _mm256_setzero_pd(), under);
}

/** −½(constant + s) + add of one row, and best updated, as storePair's lanes. */
inline void storeRow(double s, double constant, double add, double* out, double* best) {
  const double lp = -0.5 * (constant + s) + add;
  *out = lp;
  if (lp > *best) *best = lp;
}

/**
 * Rows 8g to 8g + 7 (quads g and g + 1, pairs 4g to 4g + 3) of component c: twoPairs' sums, four lanes per quad.
 * `pairs` is how many pairs the block has; pairs past it are computed, never stored, and count as pruned.
 */
void eightRows(const Params& p, Scratch& w, int g, int pairs, int c, const double* po, double add, double* out) {
  const int d = p.d;
  const double constant = p.constant;
  const int i0 = g * 4;
  const double* a = w.dq.data() + static_cast<size_t>(g) * d * 4;
  const double* b = a + d * 4;
  double* best = w.best.data();
  bool has[4];
  double lim[8];
  for (int q = 0; q < 4; q++) has[q] = 2 * g + q < pairs;
  for (int l = 0; l < 8; l++) lim[l] = has[l / 2] ? limitOf(add, best[i0 + l], constant) : INFINITY;
  const __m256d limA = _mm256_loadu_pd(lim);
  const __m256d limB = _mm256_loadu_pd(lim + 4);
  bool pruned[4] = {false, false, false, false};
  __m256d sA = _mm256_setzero_pd();
  __m256d sB = _mm256_setzero_pd();
  auto allPruned = [&]() { return (pruned[0] || !has[0]) && (pruned[1] || !has[1]) && (pruned[2] || !has[2]) && (pruned[3] || !has[3]); };
  int j = 0;
  for (; j + 3 < d; j += 4) {
    const double* r0 = po + j * d;
    const double* r1 = r0 + d;
    const double* r2 = r1 + d;
    const double* r3 = r2 + d;
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (int q = 0; q < j + 4; q++) {
      const __m256d u = _mm256_loadu_pd(a + q * 4);
      const __m256d v = _mm256_loadu_pd(b + q * 4);
      const __m256d p0 = _mm256_broadcast_sd(r0 + q);
      const __m256d p1 = _mm256_broadcast_sd(r1 + q);
      const __m256d p2 = _mm256_broadcast_sd(r2 + q);
      const __m256d p3 = _mm256_broadcast_sd(r3 + q);
      a0 = _mm256_add_pd(a0, _mm256_mul_pd(p0, u));
      b0 = _mm256_add_pd(b0, _mm256_mul_pd(p0, v));
      a1 = _mm256_add_pd(a1, _mm256_mul_pd(p1, u));
      b1 = _mm256_add_pd(b1, _mm256_mul_pd(p1, v));
      a2 = _mm256_add_pd(a2, _mm256_mul_pd(p2, u));
      b2 = _mm256_add_pd(b2, _mm256_mul_pd(p2, v));
      a3 = _mm256_add_pd(a3, _mm256_mul_pd(p3, u));
      b3 = _mm256_add_pd(b3, _mm256_mul_pd(p3, v));
    }
    sA = _mm256_add_pd(sA, _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a0, a0), _mm256_mul_pd(a1, a1)), _mm256_mul_pd(a2, a2)), _mm256_mul_pd(a3, a3)));
    sB = _mm256_add_pd(sB, _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(b0, b0), _mm256_mul_pd(b1, b1)), _mm256_mul_pd(b2, b2)), _mm256_mul_pd(b3, b3)));
    const int gtA = _mm256_movemask_pd(_mm256_cmp_pd(sA, limA, _CMP_GT_OQ));
    const int gtB = _mm256_movemask_pd(_mm256_cmp_pd(sB, limB, _CMP_GT_OQ));
    pruned[0] = pruned[0] || (gtA & 3) == 3;
    pruned[1] = pruned[1] || (gtA & 12) == 12;
    pruned[2] = pruned[2] || (gtB & 3) == 3;
    pruned[3] = pruned[3] || (gtB & 12) == 12;
    if (allPruned()) break;
  }
  if (!allPruned()) {
    for (; j < d; j++) {
      const double* r = po + j * d;
      __m256d ya = _mm256_setzero_pd();
      __m256d yb = _mm256_setzero_pd();
      for (int q = 0; q <= j; q++) {
        const __m256d pq = _mm256_broadcast_sd(r + q);
        ya = _mm256_add_pd(ya, _mm256_mul_pd(pq, _mm256_loadu_pd(a + q * 4)));
        yb = _mm256_add_pd(yb, _mm256_mul_pd(pq, _mm256_loadu_pd(b + q * 4)));
      }
      sA = _mm256_add_pd(sA, _mm256_mul_pd(ya, ya));
      sB = _mm256_add_pd(sB, _mm256_mul_pd(yb, yb));
    }
  }
  double s[8];
  _mm256_storeu_pd(s, sA);
  _mm256_storeu_pd(s + 4, sB);
  double* col = out + c * p.B;
  for (int q = 0; q < 4; q++) {
    if (!has[q]) continue;
    const int i = i0 + 2 * q;
    if (pruned[q]) {
      col[i] = -INFINITY;
      col[i + 1] = -INFINITY;
    } else {
      storeRow(s[2 * q], constant, add, col + i, best + i);
      storeRow(s[2 * q + 1], constant, add, col + i + 1, best + i + 1);
    }
  }
}

/** The last row of an odd block, as lastRow: pruned at any dimension past the limit. */
void lastRow(const Params& p, Scratch& w, int i, int c, const double* po, double add, double* out) {
  const int d = p.d;
  const double lim0 = limitOf(add, w.best[i], p.constant);
  const double* a = w.dq.data() + static_cast<size_t>(i >> 2) * d * 4 + (i & 3);
  double s0 = 0;
  for (int j = 0; j < d; j++) {
    const double* r = po + j * d;
    double y0 = 0;
    for (int q = 0; q <= j; q++) y0 += r[q] * a[q * 4];
    s0 += y0 * y0;
    if (s0 > lim0) break;
  }
  double* col = out + c * p.B;
  if (s0 > lim0) col[i] = -INFINITY;
  else storeRow(s0, p.constant, add, col + i, w.best.data() + i);
}

/** fullLogProb (pruning on) for the m rows at x (m × d), into w.resp (k × B). */
void fullLogProb(const Params& p, Scratch& w, const double* x, int m) {
  const int d = p.d;
  for (int i = 0; i < m; i++) w.best[i] = -INFINITY;
  const int pairs = m >> 1;
  for (int i = 0; i < m; i++) {
    double* dst = w.xq.data() + static_cast<size_t>(i >> 2) * d * 4 + (i & 3);
    const double* src = x + static_cast<size_t>(i) * d;
    for (int q = 0; q < d; q++) dst[q * 4] = src[q];
  }
  const int quads = (m + 3) / 4;
  for (int c = 0; c < p.k; c++) {
    const double* mu = p.means + c * d;
    const double* po = p.pc + static_cast<size_t>(c) * d * d;
    const double add = p.logDet[c] + p.logW[c];
    // x − μ of every row (the lanes past m are never stored)
    for (int g = 0; g < quads; g++) {
      const double* src = w.xq.data() + static_cast<size_t>(g) * d * 4;
      double* dst = w.dq.data() + static_cast<size_t>(g) * d * 4;
      for (int q = 0; q < d; q++) _mm256_storeu_pd(dst + q * 4, _mm256_sub_pd(_mm256_loadu_pd(src + q * 4), _mm256_broadcast_sd(mu + q)));
    }
    for (int g = 0; 2 * g < pairs; g += 2) eightRows(p, w, g, pairs, c, po, add, w.resp.data());
    if (m & 1) lastRow(p, w, m - 1, c, po, add, w.resp.data());
  }
}

/** normalizeRows on w.resp (k × B): rows' max and Σ exp into rowMax and rowSum (m), responsibilities in place. */
void normalizeRows(const Params& p, Scratch& w, int m, double* rowMax, double* rowSum) {
  const int B = p.B;
  const int n = (m + 3) & ~3;
  double* inv = w.inv.data();
  double* mx = w.mx.data();
  double* sum = w.sum.data();
  for (int i = 0; i < n; i++) {
    mx[i] = -INFINITY;
    sum[i] = 0;
  }
  for (int c = 0; c < p.k; c++) {
    const double* col = w.resp.data() + c * B;
    for (int i = 0; i < n; i += 4) {
      const __m256d v = _mm256_loadu_pd(col + i);
      const __m256d cur = _mm256_loadu_pd(&mx[i]);
      _mm256_storeu_pd(&mx[i], _mm256_blendv_pd(cur, v, _mm256_cmp_pd(v, cur, _CMP_GT_OQ)));
    }
  }
  const __m256d underflow = _mm256_set1_pd(EXP_UNDERFLOW);
  for (int c = 0; c < p.k; c++) {
    double* col = w.resp.data() + c * B;
    for (int i = 0; i < n; i += 4) {
      const __m256d t = _mm256_sub_pd(_mm256_loadu_pd(col + i), _mm256_loadu_pd(&mx[i]));
      const bool allUnder = _mm256_movemask_pd(_mm256_cmp_pd(t, underflow, _CMP_LT_OQ)) == 15;
      const __m256d e = allUnder ? _mm256_setzero_pd() : expLanes(t);
      _mm256_storeu_pd(col + i, e);
      _mm256_storeu_pd(&sum[i], _mm256_add_pd(_mm256_loadu_pd(&sum[i]), e));
    }
  }
  for (int i = 0; i < n; i += 4) _mm256_storeu_pd(inv + i, _mm256_div_pd(_mm256_set1_pd(1), _mm256_loadu_pd(&sum[i])));
  for (int c = 0; c < p.k; c++) {
    double* col = w.resp.data() + c * B;
    for (int i = 0; i < n; i += 4) _mm256_storeu_pd(col + i, _mm256_mul_pd(_mm256_loadu_pd(col + i), _mm256_loadu_pd(inv + i)));
  }
  for (int i = 0; i < m; i++) {
    rowMax[i] = mx[i];
    rowSum[i] = sum[i];
  }
}

/** S[a][b] += Σ_t w[t][a]·v[t][b] for b ≤ a < d (lowerScatter), in blocks of 4 × 8 entries. */
void lowerScatter(double* s, int d, const double* w, const double* v, int dp, int count) {
  for (int a0 = 0; a0 < d; a0 += 4) {
    for (int b0 = 0; b0 <= a0; b0 += 8) {
      __m256d t00 = _mm256_setzero_pd(), t01 = t00, t10 = t00, t11 = t00, t20 = t00, t21 = t00, t30 = t00, t31 = t00;
      const double* wp = w + a0;
      const double* vp = v + b0;
      for (int t = 0; t < count; t++) {
        const __m256d v0 = _mm256_loadu_pd(vp);
        const __m256d v1 = _mm256_loadu_pd(vp + 4);
        const __m256d w0 = _mm256_broadcast_sd(wp);
        const __m256d w1 = _mm256_broadcast_sd(wp + 1);
        const __m256d w2 = _mm256_broadcast_sd(wp + 2);
        const __m256d w3 = _mm256_broadcast_sd(wp + 3);
        t00 = _mm256_add_pd(t00, _mm256_mul_pd(w0, v0));
        t01 = _mm256_add_pd(t01, _mm256_mul_pd(w0, v1));
        t10 = _mm256_add_pd(t10, _mm256_mul_pd(w1, v0));
        t11 = _mm256_add_pd(t11, _mm256_mul_pd(w1, v1));
        t20 = _mm256_add_pd(t20, _mm256_mul_pd(w2, v0));
        t21 = _mm256_add_pd(t21, _mm256_mul_pd(w2, v1));
        t30 = _mm256_add_pd(t30, _mm256_mul_pd(w3, v0));
        t31 = _mm256_add_pd(t31, _mm256_mul_pd(w3, v1));
        wp += dp;
        vp += dp;
      }
      double sums[4][8];
      _mm256_storeu_pd(sums[0], t00);
      _mm256_storeu_pd(sums[0] + 4, t01);
      _mm256_storeu_pd(sums[1], t10);
      _mm256_storeu_pd(sums[1] + 4, t11);
      _mm256_storeu_pd(sums[2], t20);
      _mm256_storeu_pd(sums[2] + 4, t21);
      _mm256_storeu_pd(sums[3], t30);
      _mm256_storeu_pd(sums[3] + 4, t31);
      for (int r = 0; r < 4; r++) {
        const int a = a0 + r;
        if (a >= d) break;
        double* row = s + static_cast<size_t>(a) * d;
        for (int e = 0; e < 8 && b0 + e <= a; e++) row[b0 + e] += sums[r][e];
      }
    }
  }
}

/** Component c's responsibilities of the block: Σr added to sumResp[c], the rows with r ≠ 0 into w.idx and w.rg. */
int gatherComponent(const Params& p, Scratch& w, int m, int c, double* sumResp) {
  const double* col = w.resp.data() + c * p.B;
  double nk = 0;
  int count = 0;
  for (int i = 0; i < m; i++) {
    const double r = col[i];
    nk += r;
    if (r != 0) {
      w.idx[count] = i;
      w.rg[count] = r;
      count++;
    }
  }
  sumResp[c] = sumResp[c] + nk;
  return count;
}

/** fullAccumulate over the m rows at x with the responsibilities in w.resp. */
void fullAccumulate(const Params& p, Scratch& w, const double* x, int m, double* sumResp, double* sumX, double* sumXX) {
  const int d = p.d;
  const int dp = w.dp;
  for (int c = 0; c < p.k; c++) {
    const int count = gatherComponent(p, w, m, c, sumResp);
    if (count == 0) continue;
    const double* so = p.shift + c * d;
    for (int t = 0; t < count; t++) {
      const double r = w.rg[t];
      const double* src = x + static_cast<size_t>(w.idx[t]) * d;
      double* dt = w.dtr.data() + static_cast<size_t>(t) * dp;
      double* wt = w.wtr.data() + static_cast<size_t>(t) * dp;
      const __m256d rv = _mm256_set1_pd(r);
      int j = 0;
      for (; j + 4 <= d; j += 4) {
        const __m256d v = _mm256_sub_pd(_mm256_loadu_pd(src + j), _mm256_loadu_pd(so + j));
        _mm256_storeu_pd(dt + j, v);
        _mm256_storeu_pd(wt + j, _mm256_mul_pd(rv, v));
      }
      for (; j < d; j++) {
        const double v = src[j] - so[j];
        dt[j] = v;
        wt[j] = r * v;
      }
    }
    // Σ_t r·(x − s) per dimension, sixteen dimensions (four lanes × four sums) at a time, each over t in order
    double* sx = sumX + c * d;
    for (int j0 = 0; j0 < d; j0 += 16) {
      __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
      const double* wt = w.wtr.data() + j0;
      for (int t = 0; t < count; t++, wt += dp) {
        s0 = _mm256_add_pd(s0, _mm256_loadu_pd(wt));
        s1 = _mm256_add_pd(s1, _mm256_loadu_pd(wt + 4));
        s2 = _mm256_add_pd(s2, _mm256_loadu_pd(wt + 8));
        s3 = _mm256_add_pd(s3, _mm256_loadu_pd(wt + 12));
      }
      double sums[16];
      _mm256_storeu_pd(sums, s0);
      _mm256_storeu_pd(sums + 4, s1);
      _mm256_storeu_pd(sums + 8, s2);
      _mm256_storeu_pd(sums + 12, s3);
      for (int j = j0; j < d && j < j0 + 16; j++) sx[j] = sx[j] + sums[j - j0];
    }
    lowerScatter(sumXX + static_cast<size_t>(c) * d * d, d, w.wtr.data(), w.dtr.data(), dp, count);
  }
}

/**
 * diagLogProb for the m rows at x (m × d) into w.resp (k × B): each row's Σ_j ((x_j − μ_j)·s_j)², dimensions in pairs,
 * sixteen rows at a time (four lanes × four sums); rows from m to the next multiple of 16 are computed on whatever
 * w.xt holds there and never read. P holds s = 1/σ (k × d).
 */
void diagLogProb(const Params& p, Scratch& w, const double* x, int m) {
  const int d = p.d;
  const int B = p.B;
  double* xt = w.xt.data();
  for (int i = 0; i < m; i++) {
    const double* src = x + static_cast<size_t>(i) * d;
    for (int j = 0; j < d; j++) xt[static_cast<size_t>(j) * B + i] = src[j];
  }
  const __m256d half = _mm256_set1_pd(-0.5);
  const __m256d cv = _mm256_set1_pd(p.constant);
  for (int c = 0; c < p.k; c++) {
    const double* mu = p.means + c * d;
    const double* sc = p.pc + c * d;
    const __m256d add = _mm256_set1_pd(p.logDet[c]);
    const __m256d lw = _mm256_set1_pd(p.logW[c]);
    double* col = w.resp.data() + c * B;
    for (int i = 0; i < m; i += 16) {
      __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
      const double* r0 = xt + i;
      int j = 0;
      for (; j + 1 < d; j += 2, r0 += 2 * B) {
        const double* r1 = r0 + B;
        const __m256d mu0 = _mm256_broadcast_sd(mu + j), mu1 = _mm256_broadcast_sd(mu + j + 1);
        const __m256d s0 = _mm256_broadcast_sd(sc + j), s1 = _mm256_broadcast_sd(sc + j + 1);
        __m256d u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0), mu0), s0);
        __m256d v = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r1), mu1), s1);
        a0 = _mm256_add_pd(a0, _mm256_add_pd(_mm256_mul_pd(u, u), _mm256_mul_pd(v, v)));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 4), mu0), s0);
        v = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r1 + 4), mu1), s1);
        a1 = _mm256_add_pd(a1, _mm256_add_pd(_mm256_mul_pd(u, u), _mm256_mul_pd(v, v)));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 8), mu0), s0);
        v = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r1 + 8), mu1), s1);
        a2 = _mm256_add_pd(a2, _mm256_add_pd(_mm256_mul_pd(u, u), _mm256_mul_pd(v, v)));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 12), mu0), s0);
        v = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r1 + 12), mu1), s1);
        a3 = _mm256_add_pd(a3, _mm256_add_pd(_mm256_mul_pd(u, u), _mm256_mul_pd(v, v)));
      }
      if (j < d) {
        const __m256d muj = _mm256_broadcast_sd(mu + j), sj = _mm256_broadcast_sd(sc + j);
        __m256d u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0), muj), sj);
        a0 = _mm256_add_pd(a0, _mm256_mul_pd(u, u));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 4), muj), sj);
        a1 = _mm256_add_pd(a1, _mm256_mul_pd(u, u));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 8), muj), sj);
        a2 = _mm256_add_pd(a2, _mm256_mul_pd(u, u));
        u = _mm256_mul_pd(_mm256_sub_pd(_mm256_load_pd(r0 + 12), muj), sj);
        a3 = _mm256_add_pd(a3, _mm256_mul_pd(u, u));
      }
      _mm256_store_pd(col + i, _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(half, _mm256_add_pd(cv, a0)), add), lw));
      _mm256_store_pd(col + i + 4, _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(half, _mm256_add_pd(cv, a1)), add), lw));
      _mm256_store_pd(col + i + 8, _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(half, _mm256_add_pd(cv, a2)), add), lw));
      _mm256_store_pd(col + i + 12, _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(half, _mm256_add_pd(cv, a3)), add), lw));
    }
  }
}

/** diagAccumulate: per component and dimension Σr·(x − s) and Σr·(x − s)², twelve dimensions at a time. */
void diagAccumulate(const Params& p, Scratch& w, const double* x, int m, double* sumResp, double* sumX, double* sumXX) {
  const int d = p.d;
  for (int c = 0; c < p.k; c++) {
    const int count = gatherComponent(p, w, m, c, sumResp);
    if (count == 0) continue;
    const double* so = p.shift + c * d;
    double* sx = sumX + c * d;
    double* sxx = sumXX + c * d;
    int j = 0;
    for (; j + 12 <= d; j += 12) {
      const __m256d s0 = _mm256_loadu_pd(so + j), s1 = _mm256_loadu_pd(so + j + 4), s2 = _mm256_loadu_pd(so + j + 8);
      __m256d x0 = _mm256_setzero_pd(), x1 = x0, x2 = x0, q0 = x0, q1 = x0, q2 = x0;
      for (int t = 0; t < count; t++) {
        const double* row = x + static_cast<size_t>(w.idx[t]) * d + j;
        const __m256d r = _mm256_broadcast_sd(&w.rg[t]);
        __m256d v = _mm256_sub_pd(_mm256_loadu_pd(row), s0);
        __m256d rv = _mm256_mul_pd(r, v);
        x0 = _mm256_add_pd(x0, rv);
        q0 = _mm256_add_pd(q0, _mm256_mul_pd(rv, v));
        v = _mm256_sub_pd(_mm256_loadu_pd(row + 4), s1);
        rv = _mm256_mul_pd(r, v);
        x1 = _mm256_add_pd(x1, rv);
        q1 = _mm256_add_pd(q1, _mm256_mul_pd(rv, v));
        v = _mm256_sub_pd(_mm256_loadu_pd(row + 8), s2);
        rv = _mm256_mul_pd(r, v);
        x2 = _mm256_add_pd(x2, rv);
        q2 = _mm256_add_pd(q2, _mm256_mul_pd(rv, v));
      }
      _mm256_storeu_pd(sx + j, _mm256_add_pd(_mm256_loadu_pd(sx + j), x0));
      _mm256_storeu_pd(sx + j + 4, _mm256_add_pd(_mm256_loadu_pd(sx + j + 4), x1));
      _mm256_storeu_pd(sx + j + 8, _mm256_add_pd(_mm256_loadu_pd(sx + j + 8), x2));
      _mm256_storeu_pd(sxx + j, _mm256_add_pd(_mm256_loadu_pd(sxx + j), q0));
      _mm256_storeu_pd(sxx + j + 4, _mm256_add_pd(_mm256_loadu_pd(sxx + j + 4), q1));
      _mm256_storeu_pd(sxx + j + 8, _mm256_add_pd(_mm256_loadu_pd(sxx + j + 8), q2));
    }
    for (; j + 4 <= d; j += 4) {
      const __m256d s0 = _mm256_loadu_pd(so + j);
      __m256d x0 = _mm256_setzero_pd(), q0 = x0;
      for (int t = 0; t < count; t++) {
        const __m256d r = _mm256_broadcast_sd(&w.rg[t]);
        const __m256d v = _mm256_sub_pd(_mm256_loadu_pd(x + static_cast<size_t>(w.idx[t]) * d + j), s0);
        const __m256d rv = _mm256_mul_pd(r, v);
        x0 = _mm256_add_pd(x0, rv);
        q0 = _mm256_add_pd(q0, _mm256_mul_pd(rv, v));
      }
      _mm256_storeu_pd(sx + j, _mm256_add_pd(_mm256_loadu_pd(sx + j), x0));
      _mm256_storeu_pd(sxx + j, _mm256_add_pd(_mm256_loadu_pd(sxx + j), q0));
    }
    for (; j < d; j++) {
      const double sj = so[j];
      double tx = 0;
      double txx = 0;
      for (int t = 0; t < count; t++) {
        const double v = x[static_cast<size_t>(w.idx[t]) * d + j] - sj;
        const double rv = w.rg[t] * v;
        tx += rv;
        txx += rv * v;
      }
      sx[j] = sx[j] + tx;
      sxx[j] = sxx[j] + txx;
    }
  }
}

// ---- N-API binding -------------------------------------------------------------------------------------------------

bool f64s(napi_env env, napi_value value, double** data, size_t* length) {
  napi_typedarray_type type;
  void* raw;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, nullptr, "gmm native kernels: expected a Float64Array");
    return false;
  }
  *data = static_cast<double*>(raw);
  return true;
}

bool int32(napi_env env, napi_value value, int* out) {
  if (napi_get_value_int32(env, value, out) != napi_ok) {
    napi_throw_type_error(env, nullptr, "gmm native kernels: expected an integer");
    return false;
  }
  return true;
}

/**
 * fullChunkStats / diagChunkStats(data, d, start, end, k, B, means, pc, logDet, logW, shift, constant, sumResp, sumX,
 * sumXX, rowMax, rowSum): adds rows [start, end)'s statistics into sumResp, sumX, sumXX (zeroed by the caller) and
 * writes each row's max and Σ exp into rowMax and rowSum (end − start each; the caller adds max + Math.log(Σ) per
 * block, as for WebAssembly). Sizes are checked by the TypeScript caller; here only that the arrays are long enough.
 */
napi_value ChunkStats(napi_env env, napi_callback_info info, bool diag) {
  size_t argc = 17;
  napi_value argv[17];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 17) {
    napi_throw_type_error(env, nullptr, "gmm native kernels: chunkStats takes 17 arguments");
    return nullptr;
  }
  double *data, *means, *pc, *logDet, *logW, *shift, *sumResp, *sumX, *sumXX, *rowMax, *rowSum;
  size_t nData, nMeans, nPc, nLogDet, nLogW, nShift, nSumResp, nSumX, nSumXX, nRowMax, nRowSum;
  int d, start, end, k, B;
  double constant;
  if (!f64s(env, argv[0], &data, &nData) || !int32(env, argv[1], &d) || !int32(env, argv[2], &start) || !int32(env, argv[3], &end) ||
      !int32(env, argv[4], &k) || !int32(env, argv[5], &B) || !f64s(env, argv[6], &means, &nMeans) || !f64s(env, argv[7], &pc, &nPc) ||
      !f64s(env, argv[8], &logDet, &nLogDet) || !f64s(env, argv[9], &logW, &nLogW) || !f64s(env, argv[10], &shift, &nShift) ||
      napi_get_value_double(env, argv[11], &constant) != napi_ok || !f64s(env, argv[12], &sumResp, &nSumResp) ||
      !f64s(env, argv[13], &sumX, &nSumX) || !f64s(env, argv[14], &sumXX, &nSumXX) || !f64s(env, argv[15], &rowMax, &nRowMax) ||
      !f64s(env, argv[16], &rowSum, &nRowSum)) {
    return nullptr;
  }
  const size_t rows = static_cast<size_t>(end - start);
  const size_t kd = static_cast<size_t>(k) * d;
  const size_t covariance = diag ? kd : kd * d;
  if (d < 1 || k < 1 || B < 16 || B % 16 != 0 || start < 0 || end < start || static_cast<size_t>(end) * d > nData || nMeans < kd ||
      nPc < covariance || nLogDet < static_cast<size_t>(k) || nLogW < static_cast<size_t>(k) || nShift < kd ||
      nSumResp < static_cast<size_t>(k) || nSumX < kd || nSumXX < covariance || nRowMax < rows || nRowSum < rows) {
    napi_throw_range_error(env, nullptr, "gmm native kernels: chunkStats was given arrays too short for its sizes");
    return nullptr;
  }
  const Params p{diag, d, k, B, means, pc, logDet, logW, shift, constant};
  try {
    Scratch w(p);
    for (int b0 = start; b0 < end; b0 += B) {
      const int m = (end - b0 < B ? end - b0 : B);
      const double* x = data + static_cast<size_t>(b0) * d;
      if (diag) diagLogProb(p, w, x, m);
      else fullLogProb(p, w, x, m);
      normalizeRows(p, w, m, rowMax + (b0 - start), rowSum + (b0 - start));
      if (diag) diagAccumulate(p, w, x, m, sumResp, sumX, sumXX);
      else fullAccumulate(p, w, x, m, sumResp, sumX, sumXX);
    }
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "gmm native kernels: out of memory for a block's scratch");
  }
  return nullptr;
}

napi_value FullChunkStats(napi_env env, napi_callback_info info) { return ChunkStats(env, info, false); }
napi_value DiagChunkStats(napi_env env, napi_callback_info info) { return ChunkStats(env, info, true); }

napi_value Init(napi_env env, napi_value exports) {
  napi_value available;
  __builtin_cpu_init();
  napi_get_boolean(env, __builtin_cpu_supports("avx2"), &available);
  napi_set_named_property(env, exports, "avx2", available);
  napi_value fn;
  napi_create_function(env, "fullChunkStats", NAPI_AUTO_LENGTH, FullChunkStats, nullptr, &fn);
  napi_set_named_property(env, exports, "fullChunkStats", fn);
  napi_create_function(env, "diagChunkStats", NAPI_AUTO_LENGTH, DiagChunkStats, nullptr, &fn);
  napi_set_named_property(env, exports, "diagChunkStats", fn);
  return exports;
}

}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }
