/** The streams a command writes to, so commands are testable in-process. */
export type Io = {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** records for `soc code` when no file is named */
  readonly stdin?: NodeJS.ReadableStream
  /** show a progress bar on stderr */
  readonly stderrIsTTY?: boolean
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  stderrIsTTY: process.stderr.isTTY === true,
}
