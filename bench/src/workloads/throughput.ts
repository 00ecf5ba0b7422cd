import * as Y from 'yjs';
import type { ClientConn } from '../servers/types.ts';
import { procCpuSeconds } from '../servers/child.ts';
import type { FlatEdits } from '../traces.ts';
import { now, tick, sleep, waitFor } from '../util.ts';
import { EditCounter, applyPatch } from './edit-counter.ts';
import { m, type WorkloadContext, type WorkloadResult } from './types.ts';

export const TEXT_NAME = 'trace';

export interface ThroughputOutcome {
  result: WorkloadResult;
  /** The writer stays connected so the join tests can use the finished article. */
  writer: ClientConn;
  docName: string;
}

/**
 * (a) automerge-paper typed as fast as the socket takes it by one client (one Yjs transaction,
 * hence one update message, per keystroke) while `observers` clients watch. Throughput is
 * edits / time from the first keystroke until every observer holds the final text.
 */
export async function throughput(ctx: WorkloadContext, edits: FlatEdits): Promise<ThroughputOutcome> {
  const { server, cfg } = ctx;
  const docName = await server.createDoc('throughput');
  const writer = server.connect(docName, new Y.Doc());
  const observers: ClientConn[] = [];
  for (let i = 0; i < cfg.observers; i++) observers.push(server.connect(docName, new Y.Doc()));
  await Promise.all([writer, ...observers].map((c) => c.whenSynced));
  const total = edits.patches.length;
  const counters = observers.map((o) => new EditCounter(o.doc.getText(TEXT_NAME)));
  const text = writer.doc.getText(TEXT_NAME);
  const failures: string[] = [];

  const pid = server.pid();
  const cpu0 = pid ? procCpuSeconds(pid) : NaN;
  const t0 = now();
  let stalledMs = 0;
  for (let i = 0; i < total; i++) {
    const [pos, del, ins] = edits.patches[i]!;
    applyPatch(text, pos, del, ins);
    if ((i & 511) === 511) {
      await tick();
      // back-pressure: never queue more than ~1 MB in the client socket
      if (writer.bufferedAmount() > 1 << 20) {
        const s = now();
        while (writer.bufferedAmount() > 1 << 18) await sleep(1);
        stalledMs += now() - s;
      }
    }
    if (now() - t0 > cfg.typingTimeoutMs) throw new Error(`typing exceeded ${cfg.typingTimeoutMs} ms`);
  }
  const typedMs = now() - t0;
  try {
    await waitFor(() => counters.every((c) => c.count >= total), cfg.typingTimeoutMs, 'observers to receive every edit', 2);
  } catch {
    // a server may coalesce insert+delete of the same char; fall back to comparing text
    await waitFor(
      () => observers.every((o) => o.doc.getText(TEXT_NAME).length === edits.expected.length),
      cfg.syncTimeoutMs,
      'observer text length',
      20,
    ).catch(() => undefined);
  }
  const doneMs = now() - t0;
  const serverCpuMs = pid ? (procCpuSeconds(pid) - cpu0) * 1000 : NaN;
  for (const c of counters) c.dispose();
  if (text.toString() !== edits.expected) failures.push('throughput: writer text differs from the trace');
  observers.forEach((o, i) => {
    if (o.doc.getText(TEXT_NAME).toString() !== edits.expected)
      failures.push(`throughput: observer ${i} diverged (len ${o.doc.getText(TEXT_NAME).length} vs ${edits.expected.length})`);
  });
  for (const o of observers) o.destroy();
  return {
    docName,
    writer,
    result: {
      metrics: {
        editsPerSec: m('throughput (edits/s to all observers)', total / (doneMs / 1000), 'edits/s', 'higher'),
        totalMs: m('replay wall time', doneMs, 'ms', 'lower'),
        typingMs: m('writer typing time', typedMs, 'ms', 'lower'),
        backpressureMs: m('writer stalled on socket back-pressure', stalledMs, 'ms', 'lower'),
        // CPU the server process spent (user + system, /proc/<pid>/stat): less noisy than wall time on a shared machine
        serverCpuMs: m('server CPU time for the replay', serverCpuMs, 'ms', 'lower'),
      },
      notes: [`${total} edits, ${cfg.observers} observers`],
      failures,
    },
  };
}
