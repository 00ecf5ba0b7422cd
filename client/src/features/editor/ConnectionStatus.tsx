import type { Connection } from '../../collab/useArticleDoc.ts';

export const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — changes kept on this device',
};

export function ConnectionStatus({ connection }: { connection: Connection }) {
  return (
    <div className={`connection connection--${connection}`}>
      <span className="dot" aria-hidden="true" />
      <span data-testid="connection-status" role="status" aria-live="polite">
        {CONNECTION_TEXT[connection]}
      </span>
    </div>
  );
}
