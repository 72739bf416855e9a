import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ServerNowProvider } from "@/components/clock";
import { FailingChannels } from "@/components/failing-channels";
import { LiveIndicator } from "@/components/live-indicator";
import { LiveProvider } from "@/components/live-provider";
import { NotifyButton } from "@/components/notify-button";
import { QueryProvider } from "@/components/query-provider";
import { SignedInOnly } from "@/components/signed-in-only";
import { TabNotifier } from "@/components/tab-notifier";
import { webEnv } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pulse", template: "%s · Pulse" },
  description: "Your AI coding agents' sessions, live.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, colorScheme: "light dark" };

export default function RootLayout({ children }: { children: ReactNode }) {
  const withToken = Boolean(webEnv().PULSE_TOKEN);
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <ServerNowProvider value={Date.now()}>
          <LiveProvider>
            <QueryProvider>
              <header className="topbar">
                <Link href="/" className="brand" aria-label="Pulse, all sessions">
                  <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
                    <path
                      d="M2 12h5l2-6 4 12 3-9 2 3h4"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="2.2"
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    />
                  </svg>
                  Pulse
                </Link>
                <nav aria-label="Main" className="nav">
                  <Link href="/">Sessions</Link>
                  <Link href="/settings">Settings</Link>
                  {/* A plain link: the queue board is its own app, served through /queues. */}
                  <a href="/queues">Queues</a>
                </nav>
                <SignedInOnly>
                  <FailingChannels />
                </SignedInOnly>
                <LiveIndicator />
                <SignedInOnly>
                  <NotifyButton />
                </SignedInOnly>
                {withToken ? (
                  <form action="/api/logout" method="post" className="logout">
                    <button type="submit" className="button button-quiet button-small">
                      Log out
                    </button>
                  </form>
                ) : null}
              </header>
              <main id="main" className="main">
                {children}
              </main>
              <SignedInOnly>
                <TabNotifier />
              </SignedInOnly>
            </QueryProvider>
          </LiveProvider>
        </ServerNowProvider>
      </body>
    </html>
  );
}
