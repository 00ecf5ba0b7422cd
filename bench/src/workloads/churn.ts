import * as Y from 'yjs';
import { procMem } from '../servers/child.ts';
import { slope } from '../stats.ts';
import { now, sleep, withTimeout } from '../util.ts';
import { TEXT_NAME } from './throughput.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

/**
 * (d) open/close churn leak check: `churnParallel` loops open one of `churnArticles` articles,
 * type 20 characters, close, for `churnMs` (and at most `churnMaxIterations` opens). RSS is
 * sampled throughout; the slope over the second half and the growth from the first sample after
 * warm-up to the end (after an unload wait) are reported.
 */
export async function churn(ctx: WorkloadContext): Promise<WorkloadResult> {
  const { server, cfg } = ctx;
  const pid = server.pid()!;
  const names: string[] = [];
  for (let i = 0; i < cfg.churnArticles; i++) names.push(await server.createDoc(`churn-${i}`));
  const t0 = now();
  let iterations = 0;
  let errors = 0;
  const samples: Array<[number, number]> = [];
  const sampleEvery = cfg.quick ? 250 : 5000;
  let stop = false;
  const sampler = (async () => {
    while (!stop) {
      samples.push([(now() - t0) / 1000, procMem(pid).rssKiB / 1024]);
      await sleep(sampleEvery);
    }
  })();
  const loop = async (k: number): Promise<void> => {
    while (now() - t0 < cfg.churnMs && iterations < cfg.churnMaxIterations) {
      const name = names[(iterations + k) % names.length]!;
      iterations++;
      const doc = new Y.Doc();
      const conn = server.connect(name, doc);
      try {
        await withTimeout(conn.whenSynced, 10_000, 'churn sync');
        const text = doc.getText(TEXT_NAME);
        for (let i = 0; i < 20; i++) text.insert(text.length, String.fromCharCode(97 + ((i + iterations) % 26)));
        await sleep(5);
      } catch {
        errors++;
      } finally {
        conn.destroy();
        doc.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.churnParallel }, (_, k) => loop(k)));
  const loopS = (now() - t0) / 1000;
  stop = true;
  await sampler;
  await sleep(server.unloadWaitMs + (cfg.quick ? 300 : 5000));
  const end = procMem(pid).rssKiB / 1024;
  const warm = samples.filter(([t]) => t >= loopS * 0.2);
  const second = samples.filter(([t]) => t >= loopS * 0.5);
  const start = warm[0]?.[1] ?? samples[0]?.[1] ?? NaN;
  const slopeMiBPerMin = slope(second.map((s) => s[0]), second.map((s) => s[1])) * 60;
  return {
    metrics: {
      opens: m('churn opens', iterations, 'opens', 'higher'),
      opensPerSec: m('churn opens/s', iterations / loopS, 'opens/s', 'higher'),
      growth: m('churn RSS growth (warm → end)', end - start, 'MiB', 'lower'),
      // a slope over a few seconds is noise: only reported for runs of a minute or more
      ...(loopS >= 60 ? { slope: m('churn RSS slope, 2nd half', slopeMiBPerMin, 'MiB/min', 'lower') } : {}),
    },
    dists: { rss: samples.map(([t, v]) => [t, v] as [number, number]) },
    notes: [
      ...(loopS < 60 ? ['short run: a smoke check only, the RSS numbers are dominated by warm-up'] : []),
      `${loopS.toFixed(1)} s, ${cfg.churnParallel} parallel loops over ${cfg.churnArticles} articles, ${errors} failed opens`,
    ],
    failures: errors > 0 ? [`churn: ${errors} opens failed to sync`] : [],
  };
}
