/** soc serve: the API and the web app on one port. */
import { defaultWebRoot, startServer } from '../../server/main.ts'
import { describeLocation } from '../../store/open.ts'
import { prepareBuild } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'
import { ruleFrom, storeLocation } from './stats.ts'

export async function runServe(args: ParsedArgs, io: Io): Promise<number> {
  const portText = args.port ?? process.env.PORT ?? '3000'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `invalid port ${JSON.stringify(portText)}: expected a number from 0 to 65535`,
    )
  const host = args.host ?? '127.0.0.1'
  const rateText = args.rateLimit ?? process.env.SOC_RATE_LIMIT ?? '600'
  const rateLimit = Number(rateText)
  if (!Number.isInteger(rateLimit) || rateLimit < 0)
    throw new UsageError(
      `invalid --rate-limit ${JSON.stringify(rateText)}: expected requests per minute per client (0: no limit)`,
    )
  const rule = ruleFrom(args)
  const buildDir = await prepareBuild(args, io)
  const webRoot = defaultWebRoot()
  const store = storeLocation(args)
  const running = await startServer({
    buildDir,
    port,
    host,
    webRoot,
    rateLimit,
    store,
    rule,
    log: args.quiet ? () => {} : (l) => io.stderr(`${l}\n`),
  })
  io.stdout(
    `soc serve: listening on ${running.url}${webRoot ? '' : ' (API only: run "npm run build" for the web app)'}\nsoc serve: wage records in ${describeLocation(store)}\n`,
  )
  await new Promise<void>((ok) => {
    const stop = (signal: string) => {
      io.stderr(`soc serve: ${signal}, closing\n`)
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      running.close().then(ok, ok)
    }
    const onTerm = () => stop('SIGTERM')
    const onInt = () => stop('SIGINT')
    process.on('SIGTERM', onTerm)
    process.on('SIGINT', onInt)
  })
  return 0
}
