import type { RefObject } from 'react';
import { TEST_KINDS } from '../api.ts';
import { QUALITY_RULES, type ReviewFilters } from './review-query.ts';

interface FilterBarProps {
  filters: ReviewFilters;
  onChange: (changes: Partial<ReviewFilters>) => void;
  searchInput: RefObject<HTMLInputElement | null>;
  /** Story filter offered (the project's table; the story page is one story already). */
  showStory: boolean;
  /** Escape or Enter in the search box: back to the table. */
  onLeaveSearch: () => void;
}

/** Filters and search of the review table; each change asks the server for the first page again. */
export function ReviewFilterBar({
  filters,
  onChange,
  searchInput,
  showStory,
  onLeaveSearch,
}: FilterBarProps) {
  return (
    <div className="review-filters" role="search" aria-label="Filter test cases">
      <label className="inline">
        Search
        <input
          ref={searchInput}
          type="search"
          value={filters.search}
          placeholder="Words in title or steps"
          onChange={(event) => onChange({ search: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Escape' || event.key === 'Enter') {
              event.preventDefault();
              onLeaveSearch();
            }
          }}
        />
      </label>
      {showStory ? (
        <label className="inline">
          Story
          <input
            value={filters.storyKey}
            size={10}
            placeholder="Any"
            onChange={(event) => onChange({ storyKey: event.target.value.trim() })}
          />
        </label>
      ) : null}
      <Choice
        label="Status"
        value={filters.status}
        onChange={(status) => onChange({ status: status as ReviewFilters['status'] })}
        options={['draft', 'accepted', 'rejected']}
      />
      <Choice
        label="Kind"
        value={filters.kind}
        onChange={(kind) => onChange({ kind })}
        options={TEST_KINDS}
      />
      <label className="inline">
        Priority
        <input
          value={filters.priority}
          size={8}
          placeholder="Any"
          onChange={(event) => onChange({ priority: event.target.value })}
        />
      </label>
      <Choice
        label="Engine"
        value={filters.engine}
        onChange={(engine) => onChange({ engine })}
        options={['llm', 'rules']}
      />
      <Choice
        label="Findings"
        value={filters.finding}
        onChange={(finding) => onChange({ finding: finding as ReviewFilters['finding'] })}
        options={['with', 'without', ...QUALITY_RULES]}
      />
      <label className="inline">
        <input
          type="checkbox"
          checked={filters.needsReview}
          onChange={(event) => onChange({ needsReview: event.target.checked })}
        />
        Needs review
      </label>
    </div>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="inline">
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option === 'with' ? 'Has findings' : option === 'without' ? 'No findings' : option}
          </option>
        ))}
      </select>
    </label>
  );
}
