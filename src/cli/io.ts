/** The streams a command writes to, so commands are testable in-process. */
export type Io = {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}
