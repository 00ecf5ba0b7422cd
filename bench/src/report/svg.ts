/** Minimal dependency-free SVG charts for the report. */

const PALETTE = ['#d1495b', '#00798c', '#edae49', '#30638e', '#66a182', '#8d6a9f', '#444444'];
export const colorFor = (i: number): string => PALETTE[i % PALETTE.length]!;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return `${(v / 1000).toFixed(a >= 10000 ? 0 : 1)}k`;
  if (a >= 10) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toFixed(2);
}

function niceTicks(min: number, max: number, n = 5): number[] {
  if (!(max > min)) return [min];
  const step0 = (max - min) / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

/** Line chart; `logY` uses a log10 scale (for latency). */
export function lineChart(
  title: string,
  series: Series[],
  opts: { xLabel: string; yLabel: string; logY?: boolean; width?: number; height?: number },
): string {
  const W = opts.width ?? 800;
  const H = opts.height ?? 400;
  const L = 70;
  const R = 240;
  const T = 40;
  const B = 50;
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0) return emptyChart(title, 'no data', W, H);
  const xs = pts.map((p) => p[0]);
  const ty = (y: number): number => (opts.logY ? Math.log10(Math.max(y, 0.01)) : y);
  const ys = pts.map((p) => ty(p[1]));
  const xmin = Math.min(...xs);
  const xmax = Math.max(...xs);
  let ymin = opts.logY ? Math.floor(Math.min(...ys)) : Math.min(0, Math.min(...ys));
  let ymax = opts.logY ? Math.ceil(Math.max(...ys)) : Math.max(...ys);
  if (ymax === ymin) ymax = ymin + 1;
  if (!opts.logY) ymax *= 1.05;
  const sx = (x: number): number => L + ((x - xmin) / (xmax - xmin || 1)) * (W - L - R);
  const sy = (y: number): number => H - B - ((ty(y) - ymin) / (ymax - ymin)) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  const yTicks = opts.logY
    ? Array.from({ length: ymax - ymin + 1 }, (_, i) => 10 ** (ymin + i))
    : niceTicks(ymin, ymax).map((v) => v);
  for (const v of yTicks) {
    const y = sy(v);
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${L - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`);
  }
  for (const v of niceTicks(xmin, xmax)) {
    const x = sx(v);
    parts.push(`<line x1="${x}" x2="${x}" y1="${T}" y2="${H - B}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${H - B + 16}" text-anchor="middle" font-size="11">${fmt(v)}</text>`);
  }
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">${esc(opts.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${(T + H - B) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${(T + H - B) / 2})">${esc(opts.yLabel)}${opts.logY ? ' (log)' : ''}</text>`,
  );
  series.forEach((s, i) => {
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (p.length === 0) return;
    const d = p.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${colorFor(i)}" stroke-width="2"/>`);
    const ly = T + 14 + i * 18;
    parts.push(`<line x1="${W - R + 12}" x2="${W - R + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colorFor(i)}" stroke-width="3"/>`);
    parts.push(`<text x="${W - R + 38}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  return wrap(W, H, parts);
}

export interface BarGroup {
  label: string;
  bars: Array<{ name: string; value: number; text?: string }>;
}

/**
 * Horizontal grouped bars. With `ratio`, bars are drawn on a log2 scale around 1 (left of the
 * axis: Copydesk smaller; right: larger) and `betterNote` explains the direction.
 */
export function barChart(
  title: string,
  groups: BarGroup[],
  opts: { ratio?: boolean; names: string[]; subtitle?: string; width?: number },
): string {
  const W = opts.width ?? 900;
  const rowH = 16;
  const groupGap = 12;
  const L = 340;
  const R = 60;
  const T = opts.subtitle ? 62 : 44;
  const rows = groups.reduce((a, g) => a + g.bars.length, 0);
  if (rows === 0) return emptyChart(title, opts.subtitle ?? 'no data', W, 120);
  const H = T + rows * rowH + groups.length * groupGap + 30 + opts.names.length * 16;
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  if (opts.subtitle)
    parts.push(`<text x="${W / 2}" y="42" text-anchor="middle" font-size="11" fill="#555">${esc(opts.subtitle)}</text>`);
  const plotW = W - L - R;
  let x0: number;
  let sx: (v: number) => number;
  if (opts.ratio) {
    const lim = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => Math.abs(Math.log2(Math.max(b.value, 1e-6))))));
    const span = Math.ceil(lim);
    x0 = L + plotW / 2;
    sx = (v: number) => x0 + (Math.log2(Math.max(v, 1e-6)) / span) * (plotW / 2);
    for (let k = -span; k <= span; k++) {
      const x = x0 + (k / span) * (plotW / 2);
      parts.push(`<line x1="${x}" x2="${x}" y1="${T - 4}" y2="${H - 30 - opts.names.length * 16}" stroke="${k === 0 ? '#333' : '#eee'}"/>`);
      parts.push(`<text x="${x}" y="${T - 8}" text-anchor="middle" font-size="10">${k >= 0 ? 2 ** k : `1/${2 ** -k}`}×</text>`);
    }
  } else {
    const max = Math.max(...groups.flatMap((g) => g.bars.map((b) => b.value)).filter(Number.isFinite), 1e-9);
    x0 = L;
    sx = (v: number) => L + (Math.max(0, v) / max) * plotW;
  }
  let y = T;
  for (const g of groups) {
    parts.push(`<text x="${L - 8}" y="${y + (g.bars.length * rowH) / 2 + 4}" text-anchor="end" font-size="11">${esc(g.label)}</text>`);
    for (const b of g.bars) {
      const i = opts.names.indexOf(b.name);
      const xv = Number.isFinite(b.value) ? sx(b.value) : x0;
      const xa = Math.min(x0, xv);
      parts.push(
        `<rect x="${xa.toFixed(1)}" y="${y + 2}" width="${Math.abs(xv - x0).toFixed(1)}" height="${rowH - 4}" fill="${colorFor(Math.max(i, 0))}"/>`,
      );
      parts.push(
        `<text x="${(xv >= x0 ? xv + 4 : xv - 4).toFixed(1)}" y="${y + rowH - 4}" text-anchor="${xv >= x0 ? 'start' : 'end'}" font-size="10">${esc(b.text ?? fmt(b.value))}</text>`,
      );
      y += rowH;
    }
    y += groupGap;
  }
  opts.names.forEach((n, i) => {
    const ly = H - 20 - (opts.names.length - 1 - i) * 16;
    parts.push(`<rect x="${L}" y="${ly - 9}" width="14" height="10" fill="${colorFor(i)}"/>`);
    parts.push(`<text x="${L + 20}" y="${ly}" font-size="11">${esc(n)}</text>`);
  });
  return wrap(W, H, parts);
}

function emptyChart(title: string, msg: string, W: number, H: number): string {
  return wrap(W, H, [
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="13" fill="#777">${esc(msg)}</text>`,
  ]);
}

function wrap(W: number, H: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
