'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { NavIcon } from './nav-icon';

// Only pages that exist are listed, so the nav never leads to a 404.
const NAV: { href: string; label: string; icon: string }[] = [
  { href: '/', label: 'Overview', icon: 'overview' },
  { href: '/brokers', label: 'Brokers', icon: 'brokers' },
  { href: '/topics', label: 'Topics', icon: 'topics' },
  { href: '/messages', label: 'Messages', icon: 'messages' },
  { href: '/groups', label: 'Consumer groups', icon: 'groups' },
];

function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  if (href === '/topics') return pathname.startsWith('/topics') && !pathname.endsWith('/messages');
  if (href === '/messages') return pathname === '/messages' || /^\/topics\/[^/]+\/messages$/.test(pathname);
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function Sidebar() {
  const pathname = usePathname() ?? '/';
  return (
    <nav className="sidebar" aria-label="Main">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span>Kafka Console</span>
      </Link>
      <ul>
        {NAV.map((item) => {
          const active = isActive(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                className={active ? 'active' : undefined}
                aria-current={active ? 'page' : undefined}
                data-testid={`nav-${item.label.toLowerCase().replace(/\s+/g, '-')}`}
              >
                <NavIcon name={item.icon} />
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
