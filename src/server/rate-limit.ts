/** A per-client token bucket: a burst of one minute's allowance, refilled continuously. */
export type RateLimiter = {
  /** take one request for the client: 0 when allowed, else the milliseconds to wait */
  take(client: string, now?: number): number
}

export function createRateLimiter(options: {
  perMinute: number
  maxClients?: number
}): RateLimiter {
  const rate = options.perMinute / 60_000
  const capacity = options.perMinute
  const maxClients = options.maxClients ?? 10_000
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(client, now = Date.now()) {
      let b = buckets.get(client)
      if (!b) {
        // forget the longest-idle clients first (Map keeps insertion order; touched ones move back)
        if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value as string)
        b = { tokens: capacity, at: now }
      } else buckets.delete(client)
      buckets.set(client, b)
      b.tokens = Math.min(capacity, b.tokens + (now - b.at) * rate)
      b.at = now
      if (b.tokens >= 1) {
        b.tokens -= 1
        return 0
      }
      return Math.ceil((1 - b.tokens) / rate)
    },
  }
}
