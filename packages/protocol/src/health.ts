export interface HealthResponse {
  status: 'ok' | 'degraded';
  store: 'sqlite' | 'redis';
  /** Whether the store answers right now (Redis reachable); false answers 503. */
  storeReachable: boolean;
  /** This process's INSTANCE_ID in Redis mode (which instance behind the balancer answered). */
  instance?: string;
  uptimeSeconds: number;
}
