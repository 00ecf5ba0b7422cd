import type { Connection } from '../../collab/useArticleDoc.ts';
import { SAVE_TEXT, type SaveState } from '../../collab/saveState.ts';

export const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — changes kept on this device',
};

export function ConnectionStatus({ connection, save }: { connection: Connection; save?: SaveState }) {
  return (
    <div className="connection-group">
      <div className={`connection connection--${connection}`}>
        <span className="dot" aria-hidden="true" />
        <span data-testid="connection-status" role="status" aria-live="polite">
          {CONNECTION_TEXT[connection]}
        </span>
      </div>
      {/* Only while connected: offline, the connection pill already says where the changes are. */}
      {save && connection === 'live' && (
        <span className={`save-status save-status--${save}`} data-testid="save-status" role="status" aria-live="polite">
          {SAVE_TEXT[save]}
        </span>
      )}
    </div>
  );
}
