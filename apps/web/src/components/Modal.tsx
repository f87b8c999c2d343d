import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal <dialog> (`showModal`) labelled by its heading, which gets the focus so reading starts at
 * the top; Escape (the dialog's cancel event) calls `onCancel` and nothing else.
 */
export function Modal({ headingId, heading, describedBy, testId, onCancel, children }: { headingId: string; heading: ReactNode; describedBy?: string; testId: string; onCancel(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    headingRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={headingId}
      aria-describedby={describedBy}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {heading}
      </h2>
      {children}
    </dialog>
  );
}

/** Focus back on the button that opened a dialog once React has removed it, or on `fallback` when that button is gone. */
export function refocus(opener: HTMLElement | null, fallback: HTMLElement | null) {
  setTimeout(() => (opener?.isConnected ? opener.focus() : fallback?.focus()), 0);
}
