/** Module boundaries (CONVENTIONS.md §3): who may import whom, checked on every source file. */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'

const SRC = resolve(import.meta.dirname, '..', 'src')
const LAYERS = ['core', 'ingest', 'data', 'store', 'server', 'cli', 'web'] as const
type Layer = (typeof LAYERS)[number]
/** what each layer may import (value imports); `data` is the reference-data build, beside ingest */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  ingest: ['core', 'ingest'],
  data: ['core', 'ingest', 'data'],
  store: ['store'],
  server: ['core', 'ingest', 'data', 'store', 'server'],
  cli: ['core', 'ingest', 'data', 'store', 'server', 'cli'],
  web: ['web'],
}
/** third-party packages and the only layers that may use them */
const PACKAGES: Record<string, readonly Layer[]> = {
  hono: ['server'],
  '@hono/node-server': ['server'],
  'csv-parse': ['ingest'],
  exceljs: ['ingest'],
  preact: ['web'],
  'better-sqlite3': ['store'],
  pg: ['store'],
  fflate: ['ingest'],
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : []
  })
}

describe('module boundaries', () => {
  for (const file of files(SRC)) {
    const rel = relative(SRC, file)
    const layer = rel.split('/')[0] as Layer
    it(`${rel} imports only what its layer may`, () => {
      assert.ok(LAYERS.includes(layer), `${rel} is in no known layer`)
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)) {
        const typeOnly = Boolean(m[1])
        const spec = m[2] as string
        if (spec.startsWith('.')) {
          const target = relative(SRC, resolve(file, '..', spec)).split('/')[0] as Layer
          if (typeOnly && (layer === 'web' || layer === 'store')) continue
          assert.ok(ALLOWED[layer].includes(target), `${rel} imports ${spec} (${target})`)
        } else if (spec.startsWith('node:')) {
          if (layer === 'core')
            assert.ok(rel === 'core/load.ts', `${rel}: only core/load.ts may use ${spec}`)
          assert.notEqual(layer, 'web', `${rel}: the web app cannot use ${spec}`)
        } else {
          const pkg = spec.startsWith('@')
            ? spec.split('/').slice(0, 2).join('/')
            : (spec.split('/')[0] as string)
          const layers = PACKAGES[pkg]
          assert.ok(
            layers,
            `${rel} imports ${pkg}, which no layer is allowed (add it to the table)`,
          )
          assert.ok(
            layers.includes(layer),
            `${rel} imports ${pkg}, allowed only in ${layers.join(', ')}`,
          )
        }
      }
    })
  }
})
