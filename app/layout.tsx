import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Sidebar } from './_components/sidebar';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Kafka Console', template: '%s · Kafka Console' },
  description: 'Manage and watch a Kafka cluster: brokers, topics, messages, consumer groups.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <Sidebar />
          <main className="content">{children}</main>
        </div>
      </body>
    </html>
  );
}
