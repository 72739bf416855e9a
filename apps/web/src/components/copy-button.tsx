"use client";

import { useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <button type="button" className="button button-small" onClick={copy}>
      {copied === "yes" ? "Copied" : copied === "no" ? "Select and copy by hand" : label}
      <span className="visually-hidden" role="status">
        {copied === "yes" ? "Copied to the clipboard" : ""}
      </span>
    </button>
  );
}
