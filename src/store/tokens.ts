/** Bearer tokens: random, shown once, stored only as their SHA-256. */
import { createHash, randomBytes } from 'node:crypto'

/** A new token: "soc_" and 32 random bytes, base64url. */
export function newToken(): string {
  return `soc_${randomBytes(32).toString('base64url')}`
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
