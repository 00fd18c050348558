// Bundle the CLI (and the benchmark) into single ESM files with esbuild.
// Why bundle: loading ink + react through Node's module resolver costs ~0.45 s per start;
// one bundled file loads in a fraction of that, which keeps "first card on screen" fast.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';

const entryPoints = { cli: 'src/cli.tsx' };
// Each bench/*.ts becomes dist/<name>.js; bench.js loads the others (import-bench.js, …) if present.
if (existsSync('bench')) {
  for (const f of readdirSync('bench')) if (f.endsWith('.ts')) entryPoints[f.slice(0, -3)] = `bench/${f}`;
}

// Start clean: chunk names carry content hashes, so old ones would pile up.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Split shared code into chunks so the Ink UI loads only for interactive commands.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  minify: true,
  jsx: 'automatic',
  logLevel: 'warning',
  // Native addon stays a runtime dependency; devtools is an optional import of ink.
  external: ['better-sqlite3', 'react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    js: "import { createRequire as __srsCreateRequire } from 'node:module'; const require = __srsCreateRequire(import.meta.url);",
  },
});
