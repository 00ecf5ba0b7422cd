import './not-applied.css';
import { useState } from 'react';
import type * as Y from 'yjs';
import { COMMENT_MAX_LENGTH } from '@copydesk/protocol';
import { readHeadline, renderBodyText } from '@copydesk/article-doc';
import { useEditorialComments } from '../comments/editorial/store.ts';

type Outcome = { kind: 'idle' } | { kind: 'copied' } | { kind: 'sent' } | { kind: 'error'; message: string };

/**
 * Shown when the server refused some of what this tab sent (the story was locked while the writer
 * was offline, say). Their text is never dropped silently: it stays on the page to copy or to send
 * to the desk as an editorial comment, and only the writer decides to discard this device's copy,
 * which also ends the refused resend on every reconnect.
 */
export function NotAppliedNotice({ articleId, doc, reason, onDiscard }: { articleId: string; doc: Y.Doc; reason: string | null; onDiscard: () => Promise<void> }) {
  const { store, state } = useEditorialComments(articleId);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const text = [readHeadline(doc), renderBodyText(doc)].filter((part) => part.trim().length > 0).join('\n\n');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome({ kind: 'copied' });
    } catch {
      setOutcome({ kind: 'error', message: 'Copying is blocked in this browser: select the text and copy it by hand.' });
    }
  };

  const sendToDesk = async () => {
    setBusy(true);
    const intro = 'My changes were not applied. My version of the story:\n\n';
    const room = COMMENT_MAX_LENGTH - intro.length - 2;
    const body = intro + (text.length > room ? `${text.slice(0, room - 1)}…` : text);
    try {
      await store.post({ body });
      setOutcome({ kind: 'sent' });
    } catch (error) {
      setOutcome({ kind: 'error', message: error instanceof Error ? error.message : 'Sending failed.' });
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    await onDiscard();
  };

  return (
    <section className="not-applied" role="alert" aria-labelledby="not-applied-title" data-testid="not-applied">
      <div className="not-applied__inner">
        <h2 id="not-applied-title" className="not-applied__title">
          Not applied: {reason ?? 'the server refused your latest changes.'}
        </h2>
        <p className="not-applied__hint">
          Your latest changes are not in the story. They are still on this device: copy them or send them to the desk, then discard them to
          carry on with the story as it is now.
        </p>
        <label className="not-applied__label" htmlFor="not-applied-text">
          Your version of the story
        </label>
        <textarea id="not-applied-text" className="not-applied__text" readOnly value={text} rows={6} />
        <div className="not-applied__actions">
          <button type="button" className="button" onClick={() => void copy()} disabled={busy}>
            Copy text
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void sendToDesk()}
            disabled={busy || outcome.kind === 'sent' || !state.live}
            title={state.live ? undefined : 'Waiting for the connection to the desk…'}
          >
            Send to the desk as a comment
          </button>
          <button type="button" className="button button--danger" onClick={() => void discard()} disabled={busy}>
            Discard my changes
          </button>
        </div>
        <p className="not-applied__outcome" role="status" aria-live="polite">
          {outcome.kind === 'copied' && 'Copied to the clipboard.'}
          {outcome.kind === 'sent' && 'Sent to the desk as an editorial comment.'}
          {outcome.kind === 'error' && outcome.message}
        </p>
      </div>
    </section>
  );
}
