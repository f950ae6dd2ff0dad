/** Open the store a location names: a postgres:// URL (PostgreSQL) or a file path (SQLite). */
import type { Store } from './store.ts'

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** The store could not be opened: the message names where and why, never a password. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}

/**
 * The drivers load only when used: a SQLite user never loads pg, and the other way round. A store
 * that cannot be opened (no such folder, no server, a refused login) throws StoreUnavailableError.
 */
export async function openStore(location: string): Promise<Store> {
  try {
    if (isPostgresUrl(location)) {
      const { openPostgresStore } = await import('./postgres.ts')
      return await openPostgresStore(location)
    }
    const { openSqliteStore } = await import('./sqlite.ts')
    return openSqliteStore(location)
  } catch (err) {
    const why = (err as Error).message.replace(/postgres(ql)?:\/\/\S*/gi, '(the URL)')
    throw new StoreUnavailableError(
      `cannot open the store (${describeLocation(location)}): ${why}`,
      {
        cause: err,
      },
    )
  }
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
