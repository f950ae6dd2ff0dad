/** soc serve as a process: listens on loopback, answers, and stops cleanly on SIGTERM. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { BUILD_DIR, coder, REFERENCE } from './helpers.ts'

describe('soc serve', () => {
  it('serves on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    coder() // the build exists
    const main = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        'serve',
        '--port',
        '0',
        '--build-dir',
        BUILD_DIR,
        '--reference',
        REFERENCE,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString()
    })
    const url = await new Promise<string>((ok, fail) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) ok(m[1] as string)
      })
      child.once('exit', (code) => fail(new Error(`exited ${code}: ${err}`)))
    })
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${url}/api/rules`, { headers: { connection: 'close' } })
    assert.equal(res.status, 200)
    await res.arrayBuffer()
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.match(err, /GET \/api\/rules 200/)
    assert.match(err, /SIGTERM, closing/)
  })
})
