export { ApiClientError, isApiClientError } from './client.ts';
export { api } from './endpoints.ts';
