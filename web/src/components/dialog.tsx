// A modal dialog on the browser's own <dialog>: focus moves into it and stays there, Escape closes
// it (the browser's `cancel`), and focus goes back to the control that opened it.
//
// A layout effect, not useEffect: Preact 11 runs a passive effect's cleanup after the next paint,
// so the dialog would leave the document (taking focus with it, to <body>) a frame before focus
// went back to the opener; a layout effect's cleanup runs as the dialog is removed, so focus is
// never left on <body>. Opening in one too shows the dialog in the frame it is rendered in.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

export function Dialog(props: { title: string; id: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={`${props.id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <button type="button" class="link" onClick={props.onClose}>
          Close
        </button>
      </div>
      {props.children}
    </dialog>
  );
}
