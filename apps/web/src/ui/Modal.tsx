import { useEffect, useId, type ReactNode } from 'react';

interface ModalProps {
  /** the bold title; `subtitle` follows it in muted text */
  title: ReactNode;
  subtitle?: ReactNode;
  /** closes the dialog: Escape, a click on the backdrop, or a Cancel/Close button the caller wires */
  onClose: () => void;
  /** the buttons, right-aligned under the content */
  actions: ReactNode;
  children?: ReactNode;
  /** wide dialogs hold a canvas or code */
  wide?: boolean;
  /** alertdialog asks before something that cannot be undone */
  role?: 'dialog' | 'alertdialog';
  testId?: string;
}

/** The console's dialog: a backdrop over the page, a title, content and actions; Escape and the backdrop close it. */
export function Modal({ title, subtitle, onClose, actions, children, wide, role = 'dialog', testId }: ModalProps) {
  const titleId = useId();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className={wide ? 'modal modal-wide' : 'modal'} role={role} aria-modal="true" aria-labelledby={titleId} onClick={(e) => e.stopPropagation()} data-testid={testId}>
        <div className="modal-head" id={titleId}>
          <b>{title}</b>
          {subtitle !== undefined && <> <span className="muted">{subtitle}</span></>}
        </div>
        {children}
        <div className="row modal-actions">{actions}</div>
      </div>
    </div>
  );
}

interface ConfirmProps {
  title: ReactNode;
  children?: ReactNode;
  /** the label of the button that goes ahead, e.g. Delete */
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
  /** prefix of the test ids: `<testId>-dialog`, `<testId>-cancel`, `<testId>-confirm` */
  testId: string;
}

/** Asks before something that cannot be undone (the console never uses the browser's confirm()); Cancel has the focus. */
export function ConfirmDialog({ title, children, confirmLabel, onCancel, onConfirm, testId }: ConfirmProps) {
  return (
    <Modal
      title={title}
      role="alertdialog"
      onClose={onCancel}
      testId={`${testId}-dialog`}
      actions={
        <>
          <button className="btn btn-small" autoFocus onClick={onCancel} data-testid={`${testId}-cancel`}>Cancel</button>
          <button className="btn btn-danger btn-small" onClick={onConfirm} data-testid={`${testId}-confirm`}>{confirmLabel}</button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
