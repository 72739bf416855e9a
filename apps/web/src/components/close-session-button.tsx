"use client";

import { useRef } from "react";
import { useCloseSession } from "@/hooks/use-close-session";
import type { SessionJson } from "@pulse/core";

/**
 * Ends an open session by hand (e.g. a terminal closed without a SessionEnd). Asks first, in a
 * modal dialog that keeps keyboard focus; the answer is written into the cache like a live change.
 */
export function CloseSessionButton({ session }: { session: SessionJson }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useCloseSession(session.id);
  const busy = close.isPending;
  const error = close.error?.message ?? null;

  const confirm = () => close.mutate(undefined, { onSuccess: () => dialog.current?.close() });

  return (
    <>
      <button type="button" className="button button-danger" onClick={() => dialog.current?.showModal()}>
        Close session
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="close-title" aria-describedby="close-desc">
        <h2 id="close-title">Close this session?</h2>
        <p id="close-desc">
          It will be marked ended (&ldquo;closed&rdquo;) at its last sign of life. If the agent sends another event, the
          session reopens by itself.
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
