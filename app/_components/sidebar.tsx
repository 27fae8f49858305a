import Link from 'next/link';

// Only pages that exist are listed; the DESIGN.md page set (brokers, topics, messages, groups, alerts,
// settings) joins here as each lands, so the nav never leads to a 404.
const NAV: { href: string; label: string }[] = [{ href: '/', label: 'Overview' }];

export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span>Kafka Console</span>
      </div>
      <ul>
        {NAV.map((item) => (
          <li key={item.href}>
            <Link href={item.href}>{item.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
