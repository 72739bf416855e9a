"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * The top bar's parts that read the API on every page (failing channels, tab notifications) are not
 * rendered on the login form: there the API answers 401, and a 401 sends the browser to the login
 * form, again and again.
 */
export function SignedInOnly({ children }: { children: ReactNode }) {
  return usePathname() === "/login" ? null : <>{children}</>;
}
