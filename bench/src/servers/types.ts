import type * as Y from 'yjs';

/** One live client connection: a Y.Doc kept in sync with the server by a real provider over a real socket. */
export interface ClientConn {
  readonly doc: Y.Doc;
  /** Resolves on the provider's first completed sync handshake. */
  readonly whenSynced: Promise<void>;
  /** Bytes queued in the client socket (for back-pressure while typing fast). */
  bufferedAmount(): number;
  destroy(): void;
}

/** A server under test, running in its own child process on 127.0.0.1. */
export interface BenchServer {
  /** Stable id used in the JSON (e.g. `copydesk`, `y-websocket`). */
  readonly id: string;
  readonly label: string;
  /** Does a document survive the server unloading it / a restart? */
  readonly persistent: boolean;
  /** Does the server drop a document from memory once the last client leaves? */
  readonly unloadsDocs: boolean;
  /** How long to wait after the last client leaves before the doc is surely unloaded (and compacted). */
  readonly unloadWaitMs: number;
  /** Base HTTP URL (`http://127.0.0.1:<port>`) while running, for servers with an HTTP API (Copydesk). */
  httpUrl?(): string;
  /** Child process id while running, else null. */
  pid(): number | null;
  /** Starts (or restarts, on the same data directory) the server. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Creates a document and returns the name clients join. */
  createDoc(hint: string): Promise<string>;
  connect(docName: string, doc: Y.Doc): ClientConn;
  /** Directory holding the server's persistent data, or null for in-memory servers. */
  dataDir(): string | null;
  /** Bytes an external store (Redis) holds for this server, for servers that keep their data outside `dataDir`. */
  storeBytes?(): Promise<number>;
  /** Removes temp data. */
  cleanup(): Promise<void>;
  /** Free-text notes about the configuration, copied into the report. */
  readonly notes: string[];
}

export interface ServerSpec {
  id: string;
  label: string;
  /** Part of the default set in quick mode? */
  quick: boolean;
  /** Part of the default set in full mode? */
  full: boolean;
  /** Returns a reason when this server cannot run here (e.g. Copydesk not written yet). */
  unavailable(): string | null;
  create(): BenchServer;
}
