/** Start the HTTP server: one process serving the API and the web app, stopping cleanly on SIGTERM. */
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { loadCoder } from '../core/coder/open.ts'
import { loadTaxonomy } from '../core/load.ts'
import type { SuppressionRule } from '../core/suppress.ts'
import { PACKAGE_ROOT } from '../data/paths.ts'
import { openStore } from '../store/open.ts'
import { createApp } from './app.ts'

export type ServeOptions = {
  readonly buildDir: string
  readonly port: number
  readonly host: string
  readonly webRoot?: string | undefined
  readonly rateLimit?: number
  readonly log?: (line: string) => void
  /** the wage-record store: a SQLite path or a postgres:// URL; none: those routes answer 503 */
  readonly store?: string | undefined
  readonly rule?: SuppressionRule | undefined
}

export type RunningServer = {
  readonly url: string
  readonly server: Server
  close(): Promise<void>
}

/** The compiled web app, when it has been built (npm run build). */
export function defaultWebRoot(): string | undefined {
  const dir = join(PACKAGE_ROOT, 'dist', 'web')
  return existsSync(join(dir, 'index.html')) ? dir : undefined
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const store = options.store ? await openStore(options.store) : undefined
  const app = createApp({
    store,
    rule: options.rule,
    taxonomy: loadTaxonomy(options.buildDir),
    coder: loadCoder(options.buildDir),
    webRoot: options.webRoot,
    rateLimit: options.rateLimit ?? 600,
    log: options.log,
  })
  const server = await new Promise<Server>((ok, fail) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
      ok(s as Server),
    ) as Server
    s.once('error', fail)
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => {
          if (store) store.close().then(ok, ok)
          else ok()
        })
        server.closeIdleConnections?.()
      }),
  }
}
