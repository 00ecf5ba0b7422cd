import type { Metrics } from '../../metrics/metrics.ts';
import { ORIGIN_REMOTE, ORIGIN_SERVER, ORIGIN_STORE, type CollabExtension, type UpdateOrigin } from '../types.ts';

/** Open docs, connections and applied updates for /metrics. */
export class MetricsExtension implements CollabExtension {
  readonly name = 'metrics';
  constructor(private readonly metrics: Metrics) {}

  async onLoad(): Promise<void> {
    this.metrics.openDocs.inc();
  }
  onUnload(): void {
    this.metrics.openDocs.dec();
  }
  onConnect(): void {
    this.metrics.collabConnections.inc();
  }
  onDisconnect(): void {
    this.metrics.collabConnections.dec();
  }
  onChange({ origin }: { origin: UpdateOrigin }): void {
    if (origin === ORIGIN_STORE) return;
    this.metrics.updatesApplied.inc({ origin: origin === ORIGIN_REMOTE ? 'remote' : origin === ORIGIN_SERVER ? 'server' : 'client' });
  }
}
