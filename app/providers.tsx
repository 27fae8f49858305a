'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { getQueryClient } from './_queries/query-client';

export function Providers({ children }: { children: ReactNode }) {
  const client = getQueryClient();
  // Marks the moment event handlers are attached: server HTML is visible (and clickable) before
  // that, so browser tests wait for this instead of racing hydration.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
