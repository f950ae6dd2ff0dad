/** Code a list of job titles: pasted or uploaded, coded in one request, reviewed, downloaded as CSV. */
import { useState } from 'preact/hooks'
import { Alert } from './Alert.tsx'
import type { BatchResult, Candidate } from './api.ts'
import { api } from './api.ts'
import { NAICS_CODE, pct, saveBlob } from './util.ts'

const PAGE = 200
const MAX_TITLES = 10_000
const STATUS_LABEL: Record<BatchResult['status'], string> = {
  coded: 'coded',
  review: 'review',
  uncodable: 'uncodable',
  error: 'unreadable',
}

/**
 * A CSV field, quoted when it must be (RFC 4180), and never read as a formula by a spreadsheet: a
 * value starting = + - @ (other than a number) gets a leading apostrophe. The same rule as the
 * server's CSV (ingest/batch.ts csvCell), which the web app's layer may not import.
 */
function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) && !/^[-+]?\d/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** The titles of pasted or plain text, one a line; blank lines are left out. */
function linesOf(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
}

export function BatchView() {
  const [text, setText] = useState('')
  const [industry, setIndustry] = useState('')
  const [results, setResults] = useState<BatchResult[] | null>(null)
  // row index -> the code chosen among its candidates (the first unless the user picks another)
  const [chosen, setChosen] = useState<Record<number, string>>({})
  const [onlyReview, setOnlyReview] = useState(false)
  const [shown, setShown] = useState(PAGE)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const badIndustry = industry.trim() !== '' && !NAICS_CODE.test(industry.trim())

  const submit = async (e: Event) => {
    e.preventDefault()
    if (badIndustry) return
    const input = document.getElementById('titles-file') as HTMLInputElement
    const file = input.files?.[0]
    let body: Blob | string[]
    if (file) {
      // a CSV goes as it is (the server finds its title, industry and duties columns);
      // any other file is read as one title a line
      const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv'
      body = csv ? file : linesOf(await file.text())
    } else body = linesOf(text)
    if (Array.isArray(body) && body.length === 0) {
      setError('Paste some job titles (one a line) or choose a file first.')
      return
    }
    if (Array.isArray(body) && body.length > MAX_TITLES) {
      setError(
        `${body.length.toLocaleString('en-US')} titles: at most ${MAX_TITLES.toLocaleString('en-US')} at a time. Split the list.`,
      )
      return
    }
    setBusy(true)
    setError('')
    api.codeBatch(body, industry.trim()).then(
      (r) => {
        setResults(r.results)
        setChosen({})
        setShown(PAGE)
        setBusy(false)
      },
      (err: Error) => {
        setError(err.message)
        setBusy(false)
      },
    )
  }

  const pick = (r: BatchResult): Candidate | undefined => {
    const code = chosen[r.index]
    return (code && r.candidates.find((c) => c.code === code)) || r.candidates[0]
  }
  const download = () => {
    if (!results) return
    const head = 'row,title,industry,soc_code,soc_title,confidence,status'
    const lines = results.map((r) => {
      const c = pick(r)
      const changed = c !== undefined && c !== r.candidates[0]
      return [
        String(r.index + 1),
        r.input?.title ?? '',
        r.input?.industry ?? '',
        c?.code ?? '',
        c?.title ?? '',
        c ? c.confidence.toFixed(2) : '',
        changed ? 'chosen' : STATUS_LABEL[r.status],
      ]
        .map(csvField)
        .join(',')
    })
    saveBlob(
      new Blob([`${[head, ...lines].join('\r\n')}\r\n`], { type: 'text/csv' }),
      'coded-titles.csv',
    )
  }

  const counts = { coded: 0, review: 0, uncodable: 0, error: 0 }
  for (const r of results ?? []) counts[r.status]++
  const visible = (results ?? []).filter((r) => !onlyReview || r.status !== 'coded')
  return (
    <>
      <h1 tabIndex={-1}>Code a list of job titles</h1>
      <p class="lead">
        Paste job titles, one a line, or upload a file: a CSV with a title column (and, if you have
        them, industry and duties columns) or a text file with one title a line. Up to 10,000 titles
        at a time. Each gets the most likely SOC code, how sure the coder is, and four other
        candidates to choose from.
      </p>
      <form onSubmit={submit} class="batch-form">
        <label for="titles-text">Job titles, one a line</label>
        <textarea
          id="titles-text"
          rows={6}
          value={text}
          placeholder={'Slime line worker\nDeckhand\nOffice Assistant II'}
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <label for="titles-file">Or a file (CSV or text)</label>
        <input id="titles-file" type="file" accept=".csv,.txt,text/csv,text/plain" />
        <label for="batch-industry">Your industry (NAICS code, optional)</label>
        <input
          id="batch-industry"
          inputMode="numeric"
          value={industry}
          aria-invalid={badIndustry}
          aria-describedby="batch-industry-hint"
          onInput={(e) => setIndustry((e.currentTarget as HTMLInputElement).value)}
        />
        <p
          id="batch-industry-hint"
          class={badIndustry ? 'hint invalid' : 'hint'}
          aria-live="polite"
        >
          {badIndustry
            ? `"${industry.trim()}" is not a NAICS code: expected 2 to 6 digits, e.g. 311710.`
            : 'Used for the titles that do not give their own; it moves the ranking.'}
        </p>
        <p>
          <button type="submit" disabled={busy}>
            {busy ? 'Coding…' : 'Code the titles'}
          </button>
        </p>
      </form>
      <Alert message={error} />
      {results && (
        <section aria-labelledby="batch-summary">
          <h2 id="batch-summary">
            {results.length.toLocaleString('en-US')} titles: {counts.coded} coded, {counts.review}{' '}
            to review, {counts.uncodable + counts.error} not codable
          </h2>
          <p class="batch-actions">
            <label class="inline">
              <input
                type="checkbox"
                checked={onlyReview}
                onChange={(e) => {
                  setOnlyReview((e.currentTarget as HTMLInputElement).checked)
                  setShown(PAGE)
                }}
              />{' '}
              Only the titles to review
            </label>
            <button type="button" onClick={download}>
              Download as CSV
            </button>
          </p>
          <div class="table-wrap">
            <table class="stats batch">
              <caption class="sr-only">Coded job titles</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Row
                  </th>
                  <th scope="col">Job title</th>
                  <th scope="col">SOC code</th>
                  <th scope="col">Occupation</th>
                  <th scope="col" class="num">
                    Confidence
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {visible.slice(0, shown).map((r) => (
                  <BatchRow
                    key={r.index}
                    r={r}
                    pick={pick(r)}
                    onPick={(code) => setChosen({ ...chosen, [r.index]: code })}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {visible.length > shown && (
            <p>
              <button type="button" onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, visible.length - shown)} more (of{' '}
                {(visible.length - shown).toLocaleString('en-US')} left)
              </button>
            </p>
          )}
        </section>
      )}
    </>
  )
}

function BatchRow({
  r,
  pick,
  onPick,
}: {
  r: BatchResult
  pick: Candidate | undefined
  onPick: (code: string) => void
}) {
  const row = r.index + 1
  const why = r.error ?? r.notes?.[0] ?? ''
  return (
    <tr class={`status-${r.status}`}>
      <td class="num" data-label="Row">
        {row}
      </td>
      <td data-label="Job title">
        {r.input?.title ?? ''}
        {r.input?.industry && <span class="sub"> (industry {r.input.industry})</span>}
      </td>
      <td data-label="SOC code">
        {r.candidates.length > 1 ? (
          <>
            <label class="sr-only" for={`pick-${row}`}>
              Code for row {row}
            </label>
            <select
              id={`pick-${row}`}
              value={pick?.code}
              onChange={(e) => onPick((e.currentTarget as HTMLSelectElement).value)}
            >
              {r.candidates.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} ({pct(c.confidence)})
                </option>
              ))}
            </select>
          </>
        ) : (
          (pick?.code ?? '')
        )}
      </td>
      <td data-label="Occupation">
        {pick ? <a href={`#/code/${pick.code}`}>{pick.title}</a> : why}
        {pick?.matched && <span class="sub"> matched "{pick.matched.title}"</span>}
        {r.status === 'review' && r.group && (
          <span class="sub">
            {' '}
            likely {r.group.level} group {r.group.code} {r.group.title} ({pct(r.group.confidence)})
          </span>
        )}
        {pick &&
          r.notes?.map((n) => (
            <span key={n} class="sub">
              {n}
            </span>
          ))}
      </td>
      <td class="num" data-label="Confidence">
        {pick ? pct(pick.confidence) : ''}
      </td>
      <td data-label="Status">
        {pick !== r.candidates[0] ? (
          <span class="badge badge-chosen">chosen</span>
        ) : (
          <span class={`badge badge-${r.status}`}>{STATUS_LABEL[r.status]}</span>
        )}
      </td>
    </tr>
  )
}
