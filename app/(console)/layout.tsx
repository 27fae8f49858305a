import type { ReactNode } from 'react';
import { Sidebar } from '../_components/sidebar';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <Sidebar />
      <main className="content">{children}</main>
    </div>
  );
}
