import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type ModalProps = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wide dialogs hold a map. */
  wide?: boolean;
  testId?: string;
};

/**
 * A modal dialog on the native `<dialog>`: the browser keeps focus inside, makes the page
 * behind inert and closes on Escape. Focus returns to where it was when the dialog closes.
 */
export function Modal({ title, onClose, children, wide = false, testId }: ModalProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const handleClose = useEffectEvent(() => onClose());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom has no showModal; the attribute gives the same content for component tests.
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    const handleCancel = (event: Event) => {
      event.preventDefault();
      handleClose();
    };
    dialog.addEventListener('cancel', handleCancel);
    return () => {
      dialog.removeEventListener('cancel', handleCancel);
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal--wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
    >
      <div className="modal__head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      <div className="modal__body">{children}</div>
    </dialog>
  );
}
