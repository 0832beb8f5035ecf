import { useEffect, useRef } from 'react';

/** The review table's keys, as the help lists them. */
export const REVIEW_KEYS: ReadonlyArray<[key: string, what: string]> = [
  ['j / ↓', 'Next case'],
  ['k / ↑', 'Previous case'],
  ['a', 'Accept the case, then go to the next'],
  ['r', 'Reject the case, then go to the next'],
  ['e', 'Edit the case; saving goes to the next'],
  ['Enter', 'Open the case in the side panel'],
  ['Escape', 'Close the side panel (or this list)'],
  ['x', 'Select or unselect the case'],
  ['/', 'Search'],
  ['?', 'Show these keys'],
];

/** What each key does; the table supplies the actions. */
export interface ReviewKeyActions {
  move: (step: 1 | -1) => void;
  review: (action: 'accept' | 'reject') => void;
  edit: () => void;
  open: () => void;
  close: () => void;
  toggleSelection: () => void;
  search: () => void;
  help: () => void;
}

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Runs the action of a key pressed in the table or the panel; typing in a field is left alone. */
export function handleReviewKey(event: React.KeyboardEvent<HTMLElement>, actions: ReviewKeyActions): void {
  const target = event.target as HTMLElement;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (EDITABLE.has(target.tagName) || target.isContentEditable) return;
  const action: Record<string, () => void> = {
    j: () => actions.move(1),
    ArrowDown: () => actions.move(1),
    k: () => actions.move(-1),
    ArrowUp: () => actions.move(-1),
    a: () => actions.review('accept'),
    r: () => actions.review('reject'),
    e: actions.edit,
    Enter: actions.open,
    Escape: actions.close,
    x: actions.toggleSelection,
    '/': actions.search,
    '?': actions.help,
  };
  const run = action[event.key];
  if (!run) return;
  // Enter and Space keep their meaning on buttons and links.
  if (event.key === 'Enter' && target.tagName !== 'TR') return;
  event.preventDefault();
  run();
}

/** The list of keys, as a modal dialog; Escape, `?` or its button closes it. */
export function ReviewKeysHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog review-keys"
      aria-labelledby="review-keys-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === '?') onClose();
      }}
    >
      <h2 id="review-keys-title">Review keys</h2>
      <dl className="review-keys-list">
        {REVIEW_KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
