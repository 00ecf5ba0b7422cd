import { useEffect, useState } from 'react';
import { SECTIONS, type Article, type PublicUser, type Section, type UpdateArticleMetaRequest } from '@copydesk/protocol';
import { api } from '../../../api/index.ts';
import { useCurrentUser } from '../../auth/AuthContext.tsx';
import { formatDeadline, isOverdue } from '../../../lib/deadline.ts';

/** Desk metadata: section, tags, byline, assignees (leads), deadline. Saved on change, live for everyone. */
export function DetailsTab({ article, readOnly }: { article: Article; readOnly: boolean }) {
  const user = useCurrentUser();
  const [staff, setStaff] = useState<PublicUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tagDraft, setTagDraft] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    api.listStaff(controller.signal).then(setStaff, () => undefined);
    return () => controller.abort();
  }, []);

  const save = async (patch: UpdateArticleMetaRequest) => {
    setSaving(true);
    setError(null);
    try {
      await api.updateArticle(article.id, patch);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const bylineIds = article.byline.map((p) => p.id);
  const assigneeIds = article.assignees.map((p) => p.id);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const addTag = () => {
    const tag = tagDraft.trim();
    setTagDraft('');
    if (tag && !article.tags.includes(tag)) void save({ tags: [...article.tags, tag] });
  };

  return (
    <div className="details">
      <dl className="facts">
        <div>
          <dt>Words</dt>
          <dd data-testid="meta-word-count">{article.wordCount}</dd>
        </div>
        <div>
          <dt>Slug</dt>
          <dd className="facts__slug">/news/{article.slug}</dd>
        </div>
      </dl>

      <fieldset className="field-group" disabled={readOnly}>
        <label className="field">
          <span className="field__label">Section</span>
          <select value={article.section} onChange={(e) => void save({ section: e.target.value as Section })}>
            {SECTIONS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>

        <label className="field">
          <span className="field__label">Deadline</span>
          <input
            type="datetime-local"
            value={article.deadline ? toLocalInput(article.deadline) : ''}
            onChange={(e) => void save({ deadline: e.target.value ? new Date(e.target.value).toISOString() : null })}
          />
          {article.deadline && (
            <span className={`field__hint${isOverdue(article) ? ' field__hint--danger' : ''}`}>
              {isOverdue(article) ? 'Overdue · ' : ''}
              {formatDeadline(article.deadline)}
            </span>
          )}
        </label>

        <div className="field">
          <span className="field__label" id="tags-label">
            Tags
          </span>
          <ul className="chips" aria-labelledby="tags-label">
            {article.tags.map((tag) => (
              <li key={tag} className="chip">
                {tag}
                <button type="button" className="chip__remove" aria-label={`Remove tag ${tag}`} onClick={() => void save({ tags: article.tags.filter((t) => t !== tag) })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <input
            aria-label="Add a tag"
            placeholder="Add a tag and press Enter"
            value={tagDraft}
            onChange={(e) => setTagDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addTag();
              }
            }}
          />
        </div>

        <PeoplePicker
          legend="Byline"
          people={staff}
          selected={bylineIds}
          onToggle={(id) => {
            const next = toggle(bylineIds, id);
            if (next.length > 0) void save({ byline: next });
          }}
        />
        <PeoplePicker
          legend="Assigned to"
          people={staff}
          selected={assigneeIds}
          disabled={user.role !== 'lead'}
          hint={user.role !== 'lead' ? 'Only desk leads reassign stories.' : undefined}
          onToggle={(id) => void save({ assignees: toggle(assigneeIds, id) })}
        />
      </fieldset>
      <p className="details__status" role="status">
        {error ? <span className="text-danger">{error}</span> : saving ? 'Saving…' : ''}
      </p>
    </div>
  );
}

function PeoplePicker(props: { legend: string; people: PublicUser[] | null; selected: string[]; disabled?: boolean; hint?: string; onToggle(id: string): void }) {
  return (
    <fieldset className="field people-picker" disabled={props.disabled}>
      <legend className="field__label">{props.legend}</legend>
      {props.people === null ? (
        <p className="muted">Loading staff…</p>
      ) : (
        <ul>
          {props.people.map((p) => (
            <li key={p.id}>
              <label>
                <input type="checkbox" checked={props.selected.includes(p.id)} onChange={() => props.onToggle(p.id)} /> {p.displayName}
              </label>
            </li>
          ))}
        </ul>
      )}
      {props.hint && <p className="field__hint">{props.hint}</p>}
    </fieldset>
  );
}

/** ISO → the `YYYY-MM-DDTHH:mm` a datetime-local input shows, in local time. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
