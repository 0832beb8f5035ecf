import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type ListedTestCase } from '../api.ts';
import { EmptyState, ErrorMessage } from '../components.tsx';
import { CasePanel } from './case-panel.tsx';
import { useCasePages } from './review-data.ts';
import { initialFilters, queryOf, type ReviewFilters, type SortColumn } from './review-query.ts';
import { ReviewFilterBar } from './review-filters.tsx';
import { handleReviewKey, ReviewKeysHelp, type ReviewKeyActions } from './review-keys.tsx';
import { labelOf, ReviewHeader, ReviewRow } from './review-rows.tsx';

export interface ReviewTableProps {
  project: string;
  /** One story's cases (its page); without it, the whole project's, with a story column and filter. */
  storyKey?: string;
  /** The status shown first: drafts on the project's review, every status on a story. */
  initialStatus?: ReviewFilters['status'];
  /** The project's cases filtered by this story at first (the filter stays editable). */
  initialStoryFilter?: string;
  /** A case changed status or content (counts and coverage elsewhere on the page). */
  onChange: () => void;
  emptyText: string;
}

/** Server-paged review table: filters, search, sort, multi-select, side panel, keyboard review. */
export function ReviewTable(props: ReviewTableProps) {
  const review = useReviewTable(props);
  const { filters, pages, active, selected, panelOpen, editing, activeCase, showStory } = review;
  return (
    <div className="review-table-layout" onKeyDown={(event) => handleReviewKey(event, review.keys)}>
      <div className="review-table-main">
        <ReviewFilterBar
          filters={filters}
          onChange={review.changeFilters}
          searchInput={review.searchInput}
          showStory={showStory}
          onLeaveSearch={() => review.focusRow(active)}
        />
        <ReviewToolbar review={review} />
        <ErrorMessage error={review.error ?? pages.error} onDismiss={() => review.setError(undefined)} />
        {pages.rows && pages.rows.length === 0 ? <EmptyState title={props.emptyText} /> : null}
        {pages.rows && pages.rows.length > 0 ? (
          <table className="review-table" aria-label="Test cases" aria-rowcount={pages.total}>
            <ReviewHeader
              filters={filters}
              onSort={review.sortBy}
              allSelected={selected.size > 0 && selected.size === pages.rows.length}
              onSelectAll={(all) =>
                review.setSelected(all ? new Set(pages.rows?.map((row) => row.id)) : new Set())
              }
            />
            <tbody>
              {pages.rows.map((testCase, index) => (
                <ReviewRow
                  key={testCase.id}
                  testCase={testCase}
                  showStory={showStory}
                  active={index === active}
                  selected={selected.has(testCase.id)}
                  rowRef={(element) => review.rowElements.current.set(index, element)}
                  onActivate={() => review.openAt(index)}
                  onFocus={() => review.setActive(index)}
                  onSelect={(value) => review.toggleSelection(testCase.id, value)}
                />
              ))}
            </tbody>
          </table>
        ) : null}
        {pages.hasMore ? (
          <button type="button" className="load-more" onClick={() => void pages.loadMore()}>
            Load more
          </button>
        ) : null}
      </div>
      {panelOpen && activeCase ? (
        <CasePanel
          testCase={activeCase}
          label={labelOf(activeCase, showStory)}
          editing={editing}
          onEditingChange={review.setEditingAndFocus}
          onReview={(action) => void review.reviewActive(action, false)}
          onChanged={(options) => void review.refreshActive(options)}
          onClose={review.closePanel}
        />
      ) : null}
      {review.helpOpen ? <ReviewKeysHelp onClose={review.closeHelp} /> : null}
    </div>
  );
}

/** The table's state and actions; every action ends with the focus on a row (never the page body). */
function useReviewTable({
  project,
  storyKey,
  initialStatus,
  initialStoryFilter,
  onChange,
}: ReviewTableProps) {
  const showStory = storyKey === undefined;
  const [filters, setFilters] = useState<ReviewFilters>(() =>
    initialFilters(storyKey ?? initialStoryFilter, initialStatus),
  );
  const query = useMemo(() => queryOf(filters), [filters]);
  const pages = useCasePages(project, query);
  const rows = pages.rows ?? [];
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [panelOpen, setPanelOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const searchInput = useRef<HTMLInputElement>(null);
  const activeCase: ListedTestCase | undefined = rows[Math.min(active, rows.length - 1)];
  const { rowElements, focusRow } = useRowFocus(rows.length, setActive);
  const actions = useReviewActions({
    rows,
    active,
    selected,
    setSelected,
    setBusy,
    setError,
    pages,
    onChange,
    focusRow,
    setEditing,
  });

  return {
    showStory,
    filters,
    pages,
    active,
    setActive,
    selected,
    setSelected,
    panelOpen,
    editing,
    helpOpen,
    setHelpOpen,
    busy,
    error,
    setError,
    rowElements,
    searchInput,
    activeCase,
    focusRow,
    ...actions,
    ...viewActionsOf({
      active,
      setFilters,
      setActive,
      setSelected,
      setPanelOpen,
      setEditing,
      setHelpOpen,
      focusRow,
    }),
    keys: keyActionsOf({
      active,
      activeCase,
      selected,
      panelOpen,
      setPanelOpen,
      setEditing,
      setHelpOpen,
      focusRow,
      searchInput,
      actions,
    }),
  };
}

interface ActionDependencies {
  rows: ListedTestCase[];
  active: number;
  selected: Set<string>;
  setSelected: (selected: Set<string>) => void;
  setBusy: (busy: boolean) => void;
  setError: (error: unknown) => void;
  pages: ReturnType<typeof useCasePages>;
  onChange: () => void;
  focusRow: (index: number) => void;
  setEditing: (editing: boolean) => void;
}

/** Review actions: on the active case (keys, panel buttons), on the selection, after an edit. */
function useReviewActions(dependencies: ActionDependencies) {
  const { rows, active, selected, setSelected, setBusy, setError, pages, onChange, focusRow, setEditing } =
    dependencies;
  const activeCase = rows[active];

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return {
    toggleSelection: (id: string, value: boolean) => {
      const next = new Set(selected);
      if (value) next.add(id);
      else next.delete(id);
      setSelected(next);
    },
    /** Accepts or rejects the active case; the row stays (with its new status) so the order holds. */
    reviewActive: (action: 'accept' | 'reject', moveOn: boolean) =>
      run(async () => {
        if (!activeCase) return;
        const index = active;
        await (action === 'accept'
          ? api.acceptTestCases([activeCase.id])
          : api.rejectTestCases([activeCase.id]));
        pages.replace({
          ...activeCase,
          status: action === 'accept' ? 'accepted' : 'rejected',
          needsReview: false,
        });
        focusRow(moveOn ? index + 1 : index);
        onChange();
      }),
    reviewSelected: (action: 'accept' | 'reject') =>
      run(async () => {
        const ids = [...selected];
        await (action === 'accept' ? api.acceptTestCases(ids) : api.rejectTestCases(ids));
        setSelected(new Set());
        pages.reload();
        focusRow(active);
        onChange();
      }),
    /** Reads the active case again after an edit (then goes on to the next) or a regeneration. */
    refreshActive: ({ edited }: { edited: boolean }) =>
      run(async () => {
        if (!activeCase) return;
        const index = active;
        pages.replace(await api.getTestCase(activeCase.id));
        setEditing(false);
        focusRow(edited ? index + 1 : index);
        onChange();
      }),
  };
}

function ReviewToolbar({ review }: { review: ReturnType<typeof useReviewTable> }) {
  const { pages, selected } = review;
  return (
    <div className="toolbar" role="toolbar" aria-label="Review selected test cases">
      <span className="muted" data-testid="review-total">
        {pages.rows ? `${pages.rows.length} of ${pages.total} cases` : 'Loading…'}
      </span>
      <button
        type="button"
        disabled={review.busy || selected.size === 0}
        onClick={() => void review.reviewSelected('accept')}
      >
        Accept selected ({selected.size})
      </button>
      <button
        type="button"
        disabled={review.busy || selected.size === 0}
        onClick={() => void review.reviewSelected('reject')}
      >
        Reject selected
      </button>
      <button type="button" className="link" onClick={() => review.setHelpOpen(true)}>
        Keys (?)
      </button>
    </div>
  );
}

interface KeyState {
  active: number;
  activeCase: ListedTestCase | undefined;
  selected: Set<string>;
  panelOpen: boolean;
  setPanelOpen: (open: boolean) => void;
  setEditing: (editing: boolean) => void;
  setHelpOpen: (open: boolean) => void;
  focusRow: (index: number) => void;
  searchInput: React.RefObject<HTMLInputElement | null>;
  actions: ReturnType<typeof useReviewActions>;
}

/** What each review key does on the table's state. */
function keyActionsOf(state: KeyState): ReviewKeyActions {
  const {
    active,
    activeCase,
    selected,
    panelOpen,
    setPanelOpen,
    setEditing,
    setHelpOpen,
    focusRow,
    searchInput,
    actions,
  } = state;
  return {
    move: (step: 1 | -1) => focusRow(active + step),
    review: (action: 'accept' | 'reject') => void actions.reviewActive(action, true),
    edit: () => {
      setPanelOpen(true);
      setEditing(true);
    },
    open: () => setPanelOpen(true),
    close: () => {
      if (panelOpen) {
        setPanelOpen(false);
        setEditing(false);
      }
      focusRow(active);
    },
    toggleSelection: () => activeCase && actions.toggleSelection(activeCase.id, !selected.has(activeCase.id)),
    search: () => searchInput.current?.focus(),
    help: () => setHelpOpen(true),
  };
}

interface ViewState {
  active: number;
  setFilters: React.Dispatch<React.SetStateAction<ReviewFilters>>;
  setActive: (index: number) => void;
  setSelected: (selected: Set<string>) => void;
  setPanelOpen: (open: boolean) => void;
  setEditing: (editing: boolean) => void;
  setHelpOpen: (open: boolean) => void;
  focusRow: (index: number) => void;
}

/** Filters, sort, panel and help: each change that leaves a control puts the focus back on a row. */
function viewActionsOf(state: ViewState) {
  const { active, setFilters, setActive, setSelected, setPanelOpen, setEditing, setHelpOpen, focusRow } =
    state;
  return {
    changeFilters: (changes: Partial<ReviewFilters>) => {
      setFilters((previous) => ({ ...previous, ...changes }));
      setActive(0);
      setSelected(new Set());
    },
    sortBy: (column: SortColumn) =>
      setFilters((previous) => ({
        ...previous,
        sort: column,
        order: previous.sort === column && previous.order === 'asc' ? 'desc' : 'asc',
      })),
    openAt: (index: number) => {
      setPanelOpen(true);
      setEditing(false);
      focusRow(index);
    },
    setEditingAndFocus: (value: boolean) => {
      setEditing(value);
      if (!value) focusRow(active);
    },
    closePanel: () => {
      setPanelOpen(false);
      setEditing(false);
      focusRow(active);
    },
    closeHelp: () => {
      setHelpOpen(false);
      focusRow(active);
    },
  };
}

/**
 * Moves the focus to a row, now or, when the row is not rendered yet (a page loading), as soon as
 * it is: an action never leaves the focus on the page body.
 */
function useRowFocus(rowCount: number, setActive: (index: number) => void) {
  const rowElements = useRef(new Map<number, HTMLTableRowElement | null>());
  const pendingFocus = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (pendingFocus.current === undefined) return;
    const element = rowElements.current.get(Math.min(pendingFocus.current, rowCount - 1));
    if (element) {
      element.focus();
      pendingFocus.current = undefined;
    }
  });
  const focusRow = (index: number) => {
    const bounded = Math.max(0, Math.min(index, rowCount - 1));
    setActive(bounded);
    pendingFocus.current = bounded;
    rowElements.current.get(bounded)?.focus();
  };
  return { rowElements, focusRow };
}
