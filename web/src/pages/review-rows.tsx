import type { ListedTestCase } from '../api.ts';
import { QualityBadge, StatusBadge } from '../components.tsx';
import type { ReviewFilters, SortColumn } from './review-query.ts';

const COLUMNS: ReadonlyArray<[label: string, sort: SortColumn | undefined]> = [
  ['Key', 'key'],
  ['Title', 'title'],
  ['Kind', 'kind'],
  ['Priority', 'priority'],
  ['Status', 'status'],
  ['Quality', 'quality'],
  ['Covers', undefined],
  ['Engine', 'engine'],
  ['Last change', 'updatedAt'],
];

/** How the table names a case: `TC-3` on a story's page, `SHOP-7 TC-3` across stories. */
export function labelOf(testCase: ListedTestCase, showStory: boolean): string {
  return showStory && testCase.storyKey ? `${testCase.storyKey} ${testCase.displayId}` : testCase.displayId;
}

export function ReviewHeader({
  filters,
  onSort,
  allSelected,
  onSelectAll,
}: {
  filters: ReviewFilters;
  onSort: (column: SortColumn) => void;
  allSelected: boolean;
  onSelectAll: (selected: boolean) => void;
}) {
  return (
    <thead>
      <tr>
        <th scope="col">
          <input
            type="checkbox"
            aria-label="Select every listed case"
            checked={allSelected}
            onChange={(event) => onSelectAll(event.target.checked)}
          />
        </th>
        {COLUMNS.map(([label, sort]) => {
          const sorted = sort !== undefined && filters.sort === sort;
          return (
            <th
              key={label}
              scope="col"
              aria-sort={sorted ? (filters.order === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {sort ? (
                <button type="button" className="link sort-button" onClick={() => onSort(sort)}>
                  {label}
                  {sorted ? (filters.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                label
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

interface RowProps {
  testCase: ListedTestCase;
  showStory: boolean;
  active: boolean;
  selected: boolean;
  rowRef: (element: HTMLTableRowElement | null) => void;
  onActivate: () => void;
  /** The row got the focus (a click, a tab, a script): it becomes the row the keys act on. */
  onFocus: () => void;
  onSelect: (selected: boolean) => void;
}

export function ReviewRow({
  testCase,
  showStory,
  active,
  selected,
  rowRef,
  onActivate,
  onFocus,
  onSelect,
}: RowProps) {
  const label = labelOf(testCase, showStory);
  const qualityTestId = showStory
    ? `case-quality-${testCase.storyKey}-${testCase.displayId}`
    : `case-quality-${testCase.displayId}`;
  return (
    <tr
      ref={rowRef}
      tabIndex={active ? 0 : -1}
      className={`case-row case-${testCase.status}${active ? ' active' : ''}`}
      aria-selected={selected}
      aria-label={`${label}: ${testCase.title}`}
      data-testid={
        showStory ? `case-${testCase.storyKey}-${testCase.displayId}` : `case-${testCase.displayId}`
      }
      data-case-id={testCase.id}
      onClick={onActivate}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocus();
      }}
    >
      <td onClick={(event) => event.stopPropagation()}>
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select ${label}`}
          checked={selected}
          onChange={(event) => onSelect(event.target.checked)}
        />
      </td>
      <td className="case-key">{label}</td>
      <td className="case-title-cell">{testCase.title}</td>
      <td>{testCase.kind}</td>
      <td>{testCase.priority}</td>
      <td>
        <StatusBadge status={testCase.status} />
        {testCase.needsReview ? (
          <span className="badge badge-review" title={testCase.needsReviewReason ?? ''}>
            needs review
          </span>
        ) : null}
      </td>
      <td>
        {testCase.quality ? <QualityBadge score={testCase.quality.score} testId={qualityTestId} /> : null}
      </td>
      <td>{testCase.covers.join(', ')}</td>
      <td>{testCase.engine === 'rules' ? 'rules' : 'model'}</td>
      <td className="muted">
        <time dateTime={testCase.updatedAt}>{new Date(testCase.updatedAt).toLocaleString()}</time> · v
        {testCase.version}
      </td>
    </tr>
  );
}
