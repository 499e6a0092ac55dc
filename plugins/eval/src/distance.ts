/**
 * The distances of Clustering Model Evaluation (Alink's distanceType): EUCLIDEAN, COSINE (1 − cosine similarity)
 * and CITYBLOCK (Manhattan). Rows are `d` numbers at `a` and `b` of flat row-major arrays.
 */
export type DistanceType = 'EUCLIDEAN' | 'COSINE' | 'CITYBLOCK';

export const DISTANCE_TYPES: readonly DistanceType[] = ['EUCLIDEAN', 'COSINE', 'CITYBLOCK'];

/** dist(x[a..a+d), y[b..b+d)) */
export type Distance = (x: Float64Array, a: number, y: Float64Array, b: number, d: number) => number;

function euclidean(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[a + j] - y[b + j];
    s += t * t;
  }
  return Math.sqrt(s);
}

function cityblock(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += Math.abs(x[a + j] - y[b + j]);
  return s;
}

/** 1 − x·y / (|x| |y|); a zero vector is at distance 1 from everything (scikit-learn's cosine_distances treats it so). */
function cosine(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let j = 0; j < d; j++) {
    const u = x[a + j];
    const v = y[b + j];
    xy += u * v;
    xx += u * u;
    yy += v * v;
  }
  if (xx === 0 || yy === 0) return 1;
  const sim = xy / Math.sqrt(xx * yy);
  // rounding can push the similarity of a vector with itself past 1
  return Math.max(0, 1 - sim);
}

export function distanceOf(type: DistanceType): Distance {
  switch (type) {
    case 'EUCLIDEAN':
      return euclidean;
    case 'COSINE':
      return cosine;
    case 'CITYBLOCK':
      return cityblock;
  }
}

/** The number a kernel receives for a distance type (its index in DISTANCE_TYPES). */
export const DISTANCE_CODE: Record<DistanceType, number> = { EUCLIDEAN: 0, COSINE: 1, CITYBLOCK: 2 };

export function distanceOfCode(code: number): Distance {
  const type = DISTANCE_TYPES[code];
  if (type === undefined) throw new Error(`distance code ${code} is none of ${DISTANCE_TYPES.map((t, i) => `${i} ${t}`).join(', ')}`);
  return distanceOf(type);
}
