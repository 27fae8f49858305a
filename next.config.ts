import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // kafkajs opens raw TCP sockets and uses dynamic requires; loading it from node_modules at runtime
  // keeps Turbopack from bundling (and tree-shaking) it into route chunks.
  serverExternalPackages: ['kafkajs'],
  // `next build` type-checks everything its tsconfig includes. The root tsconfig covers broker/ and
  // tests, written concurrently and checked by `npm run typecheck`; a broker type error must not stop
  // the console from building, so the build checks the console's own files (and what they import).
  typescript: { tsconfigPath: 'app/tsconfig.next.json' },
};

export default nextConfig;
