import { ArticleStatus, SECTIONS } from '@copydesk/protocol';
import type { DeskFilters } from './deskView.ts';

/** Status, section and assignee filters, sort order and grouping for the desk. */
export function DeskFilterBar({ filters, onChange, staff }: { filters: DeskFilters; onChange(f: DeskFilters): void; staff: Array<{ id: string; displayName: string }> }) {
  const set = <K extends keyof DeskFilters>(key: K, value: DeskFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <div className="filter-bar" role="group" aria-label="Filter and sort stories">
      <label>
        <span>Status</span>
        <select value={filters.status} onChange={(e) => set('status', e.target.value as DeskFilters['status'])}>
          <option value="all">All</option>
          {ArticleStatus.options.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Section</span>
        <select value={filters.section} onChange={(e) => set('section', e.target.value as DeskFilters['section'])}>
          <option value="all">All</option>
          {SECTIONS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        <span>Assignee</span>
        <select value={filters.assignee} onChange={(e) => set('assignee', e.target.value)}>
          <option value="all">Anyone</option>
          <option value="me">Me</option>
          {staff.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Sort</span>
        <select value={filters.sort} onChange={(e) => set('sort', e.target.value as DeskFilters['sort'])}>
          <option value="updated">Recently updated</option>
          <option value="deadline">Deadline</option>
        </select>
      </label>
      <label className="filter-bar__check">
        <input type="checkbox" checked={filters.groupByStatus} onChange={(e) => set('groupByStatus', e.target.checked)} /> Group by status
      </label>
    </div>
  );
}
