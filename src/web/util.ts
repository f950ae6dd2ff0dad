/** Small helpers the web app's pages share. */

/** a share as a whole percentage: 0.874 -> "87%" */
export const pct = (x: number): string => `${Math.round(x * 100)}%`

/** a NAICS code as a user may give one: 2 to 6 digits */
export const NAICS_CODE = /^\d{2,6}$/

/** Saves a blob as a download named `name` (a link clicked, then let go). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
