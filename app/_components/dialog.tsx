'use client';

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: focus trapping, Escape and the backdrop come from the browser,
 * so keyboard users get the platform's behaviour for free.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  testId,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <div className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn-icon" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </div>
          <div className="dialog-body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/**
 * Confirmation for destructive actions. With `typeToConfirm`, the button stays disabled until the
 * exact name is typed (the GitHub pattern), so a mis-click cannot delete a topic.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  typeToConfirm,
  pending,
  error,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  typeToConfirm?: string;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const ok = typeToConfirm === undefined || typed === typeToConfirm;
  const close = () => {
    setTyped('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ok && !pending) onConfirm();
  };
  return (
    <Dialog open={open} title={title} onClose={close} testId={testId}>
      <form onSubmit={submit} className="form">
        <div className="dialog-text">{children}</div>
        {typeToConfirm !== undefined ? (
          <div className="field">
            <label htmlFor={inputId}>
              Type <code>{typeToConfirm}</code> to confirm
            </label>
            <input
              id={inputId}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              data-testid="confirm-input"
            />
          </div>
        ) : null}
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-danger"
            disabled={!ok || pending}
            data-testid="confirm-button"
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
