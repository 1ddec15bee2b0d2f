/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets tests build and serve while a dev server runs.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // These load WASM, native pools or worker threads at run time and must not be bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg-boss', 'pg', 'postgres', 'js-tiktoken', 'archiver', 'proper-lockfile'],
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
