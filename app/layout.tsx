import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from './_trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: 'CollabStudy',
  description: 'Randomized studies and benchmarks of collaborative LLM assistants',
  // Participant pages must not be indexed or leak referrers to model providers.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: '/apple-touch-icon.png',
  },
  manifest: '/manifest.webmanifest',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its Content-Security-Policy nonce (proxy.ts) is new each time, and
  // Next.js can only put it on the scripts of a page it renders now, not of one prerendered at build time.
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
