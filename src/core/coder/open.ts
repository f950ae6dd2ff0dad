/** The coder from a build folder (the file is read by core/load.ts). */
import { loadCoderIndex } from '../load.ts'
import type { Coder } from './coder.ts'
import { createCoder } from './coder.ts'

export function loadCoder(buildDir: string): Coder {
  return createCoder(loadCoderIndex(buildDir))
}
