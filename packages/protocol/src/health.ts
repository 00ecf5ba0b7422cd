export interface HealthResponse {
  status: 'ok' | 'degraded';
  store: 'sqlite' | 'redis';
  uptimeSeconds: number;
}
