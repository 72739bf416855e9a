"use client";

import { useRef, useState } from "react";
import type { Session } from "@/lib/api-types";
import { api } from "@/lib/browser-api";

/**
 * Ends an open session by hand (e.g. a terminal closed without a SessionEnd). Asks first, in a
 * modal dialog that keeps keyboard focus; the status then changes live like any other change.
 */
export function CloseSessionButton({ session, onClosed }: { session: Session; onClosed(session: Session): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const closed = await api<Session>(`/api/sessions/${encodeURIComponent(session.id)}/close`, { method: "POST" });
      onClosed(closed);
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button-danger" onClick={() => dialog.current?.showModal()}>
        Close session
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="close-title" aria-describedby="close-desc">
        <h2 id="close-title">Close this session?</h2>
        <p id="close-desc">
          It will be marked ended (&ldquo;closed&rdquo;) at its last sign of life. If the agent sends another event, the session reopens by itself.
        </p>
        {error ? (
          <p className="form-error" role="alert">
            Could not close it: {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={confirm} disabled={busy}>
            {busy ? "Closing…" : "Close session"}
          </button>
        </div>
      </dialog>
    </>
  );
}
