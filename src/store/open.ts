/** Open the store a location names: a postgres:// URL (PostgreSQL) or a file path (SQLite). */
import type { Store } from './store.ts'

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** The drivers load only when used: a SQLite user never loads pg, and the other way round. */
export async function openStore(location: string): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { openPostgresStore } = await import('./postgres.ts')
    return openPostgresStore(location)
  }
  const { openSqliteStore } = await import('./sqlite.ts')
  return openSqliteStore(location)
}

/** Where a location points, for messages: the URL without its password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return `SQLite ${location}`
  try {
    const u = new URL(location)
    if (u.password) u.password = '***'
    return `PostgreSQL ${u.toString()}`
  } catch {
    return 'PostgreSQL (unparsable URL)'
  }
}
