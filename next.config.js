/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets tests build and serve while a dev server runs.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // These load WASM, native pools or worker threads at run time and must not be bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'undici', 'archiver', 'proper-lockfile'],
  // `npm run typecheck` (first step of `npm test`) type-checks the whole repo, tests included;
  // repeating it inside every e2e build would only add minutes on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
