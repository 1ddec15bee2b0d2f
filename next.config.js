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
  // Headers that never vary per request, on every response (pages, API, static files). The per-request
  // Content-Security-Policy of pages is set in proxy.ts; see server/http/security-headers.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          // Participant URLs carry recruitment ids (PROLIFIC_PID, workerId): never send them to another site.
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
      {
        // Only over HTTPS (as reported by the TLS-terminating proxy): HSTS on plain HTTP is ignored at best.
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https(?:\\s*,.*)?' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000' }],
      },
    ];
  },
  reactStrictMode: true,
};
export default nextConfig;
