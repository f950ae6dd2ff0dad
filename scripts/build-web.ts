/** Bundle the web app (Preact) with esbuild into dist/web (or a given folder), with its page and style sheet. */
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export async function buildWeb(out = join(root, 'dist', 'web')): Promise<string> {
  mkdirSync(out, { recursive: true })
  await build({
    entryPoints: [join(root, 'src', 'web', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: join(out, 'main.js'),
    logLevel: 'warning',
  })
  for (const f of ['index.html', 'style.css'])
    copyFileSync(join(root, 'src', 'web', f), join(out, f))
  return out
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildWeb()
