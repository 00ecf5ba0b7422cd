/** Small statistics helpers. All inputs are plain number arrays. */

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return quantileSorted(s, q);
}

export function quantileSorted(s: number[], q: number): number {
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Percentile ladder (0..100 step 1, plus 99.9) for charts; keeps the JSON small. */
export function ladder(xs: number[]): Array<[number, number]> {
  const s = [...xs].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (let p = 0; p <= 100; p++) out.push([p, quantileSorted(s, p / 100)]);
  out.push([99.9, quantileSorted(s, 0.999)]);
  return out.sort((a, b) => a[0] - b[0]);
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}
