import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from './_trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: 'CollabStudy',
  description: 'Randomized studies and benchmarks of collaborative LLM assistants',
  // Participant pages must not be indexed or leak referrers to model providers.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
