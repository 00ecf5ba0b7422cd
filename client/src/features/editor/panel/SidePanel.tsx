import { useCallback, useState } from 'react';
import type { Article } from '@copydesk/protocol';
import { DetailsTab } from './DetailsTab.tsx';
import { WorkflowTab } from './WorkflowTab.tsx';
import { HistoryTab } from './HistoryTab.tsx';
import { EditorialPanel } from '../../comments/editorial/EditorialPanel.tsx';
import { useOpenCommentsTab } from '../../comments/editorial/store.ts';

type Tab = 'details' | 'workflow' | 'history' | 'comments';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'details', label: 'Details' },
  { id: 'workflow', label: 'Workflow' },
  { id: 'history', label: 'History' },
  { id: 'comments', label: 'Comments' },
];

/** The editor's side panel: desk metadata, the workflow with its timeline, and version history. */
export function SidePanel({ article, readOnly }: { article: Article; readOnly: boolean }) {
  const [tab, setTab] = useState<Tab>('details');
  useOpenCommentsTab(article.id, useCallback(() => setTab('comments'), []));
  return (
    <aside className="side-panel" aria-label="Article panel">
      <div className="tabs" role="tablist" aria-label="Article panel sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`panel-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className={`tabs__tab${tab === t.id ? ' tabs__tab--active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="side-panel__body" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`panel-tab-${tab}`}>
        {tab === 'details' && <DetailsTab article={article} readOnly={readOnly} />}
        {tab === 'workflow' && <WorkflowTab article={article} />}
        {tab === 'history' && <HistoryTab article={article} readOnly={readOnly} />}
        {tab === 'comments' && <EditorialPanel article={article} />}
      </div>
    </aside>
  );
}
