import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, one registry per server instance (tests run several in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly openDocs = new Gauge({ name: 'copydesk_open_docs', help: 'Documents loaded in memory', registers: [this.registry] });
  readonly collabConnections = new Gauge({ name: 'copydesk_collab_connections', help: 'Open /collab WebSocket connections', registers: [this.registry] });
  /** Set by the server once Socket.IO exists; read at scrape time. */
  socketCount: () => number = () => 0;
  readonly socketConnections: Gauge = new Gauge({
    name: 'copydesk_socketio_connections',
    help: 'Open Socket.IO connections',
    registers: [this.registry],
    collect: (): void => this.socketConnections.set(this.socketCount()),
  });
  readonly updatesApplied = new Counter({
    name: 'copydesk_doc_updates_total',
    help: 'Yjs updates applied, by origin',
    labelNames: ['origin'] as const,
    registers: [this.registry],
  });
  readonly commentDeliveries = new Counter({
    name: 'copydesk_comment_deliveries_total',
    help: 'Comment events fanned out to readers (room emits × sockets in the room)',
    registers: [this.registry],
  });
  readonly storeWriteSeconds = new Histogram({
    name: 'copydesk_store_write_seconds',
    help: 'Latency of writing a batch of doc updates to the store',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly redisLagSeconds = new Gauge({
    name: 'copydesk_redis_relay_lag_seconds',
    help: 'Age of the last doc update relayed from another instance when it was applied here',
    registers: [this.registry],
  });
  readonly redisLag = new Histogram({
    name: 'copydesk_redis_relay_delay_seconds',
    help: 'Age of each batch of doc updates relayed from another instance when it was applied here (Redis clock at append to local clock)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  /** Sets the gauge (the latest) and observes the histogram (the distribution). */
  observeRedisLag(seconds: number): void {
    this.redisLagSeconds.set(seconds);
    this.redisLag.observe(seconds);
  }
  readonly errors = new Counter({
    name: 'copydesk_errors_total',
    help: 'Errors answered, by channel and code',
    labelNames: ['channel', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'copydesk_' });
  }
}
