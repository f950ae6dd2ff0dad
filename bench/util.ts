/** Helpers shared by the benchmarks: timing child processes with their peak RSS, and summaries. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type ProcessRun = { wallMs: number; rssMb: number | null; status: number | null }

const GNU_TIME = '/usr/bin/time'

/** Run a command, measuring wall time and (with GNU time, when present) peak RSS. */
export function timeProcess(
  cmd: string,
  args: readonly string[],
  options: {
    input?: string | Buffer
    env?: NodeJS.ProcessEnv
    allowStatus?: readonly number[]
  } = {},
): ProcessRun & { stdout: Buffer } {
  const useTime = existsSync(GNU_TIME)
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-'))
  const rssFile = join(dir, 'rss')
  const [c, a] = useTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args]
  const t0 = performance.now()
  const r = spawnSync(c, a, {
    input: options.input,
    env: options.env ?? process.env,
    maxBuffer: 1 << 30,
  })
  const wallMs = performance.now() - t0
  let rssMb: number | null = null
  if (useTime && existsSync(rssFile)) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1))
    if (Number.isFinite(kb)) rssMb = kb / 1024
  }
  rmSync(dir, { recursive: true, force: true })
  if (!(options.allowStatus ?? [0]).includes(r.status ?? -1)) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`,
    )
  }
  return { wallMs, rssMb, status: r.status, stdout: r.stdout }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number
}

export function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED'
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits)
}
