import { useId, useState, type FormEvent } from 'react';
import type { Article } from '@copydesk/protocol';
import { ErrorCode } from '@copydesk/protocol';
import { api, isApiClientError } from '../../api/index.ts';

const MAX_HEADLINE = 300;

function messageFor(error: unknown): string {
  if (isApiClientError(error)) {
    if (error.code === ErrorCode.forbidden) return 'Your role cannot create articles.';
    if (error.code === ErrorCode.invalidRequest) return error.message || 'Check the headline and try again.';
    if (error.code === ErrorCode.rateLimited) return 'You are creating articles too quickly. Wait a moment and try again.';
    if (error.status === 0) return error.message;
  }
  return 'The article could not be created. Try again.';
}

export function NewArticleForm({ onCreated, onCancel }: { onCreated: (article: Article) => void; onCancel: () => void }) {
  const [headline, setHeadline] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = headline.trim();
    if (!value) {
      setError('Give the article a working headline.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      onCreated(await api.createArticle({ headline: value }));
    } catch (err) {
      setError(messageFor(err));
      setPending(false);
    }
  }

  return (
    <form className="new-article" onSubmit={onSubmit} noValidate aria-label="New article">
      <div className="field">
        <label htmlFor={inputId}>Headline</label>
        <input
          id={inputId}
          type="text"
          autoFocus
          maxLength={MAX_HEADLINE}
          value={headline}
          placeholder="Flooding closes the ring road"
          onChange={(e) => setHeadline(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onCancel();
          }}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
        />
        <p id={hintId} className="field__hint">
          A working headline is fine — you can rewrite it in the editor.
        </p>
      </div>
      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="new-article__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create article'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
