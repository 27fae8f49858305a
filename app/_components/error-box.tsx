import type { ReactNode } from 'react';

export function ErrorBox({ title, code, children }: { title: string; code?: string; children: ReactNode }) {
  return (
    <section className="error-box" role="alert">
      <h2>
        {title}
        {code ? <span className="error-code">{code}</span> : null}
      </h2>
      <div>{children}</div>
    </section>
  );
}
