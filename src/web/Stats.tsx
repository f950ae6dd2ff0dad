/** The statistics pages (analysts): occupations, residency, program outcomes; charts and CSV downloads. */
import { useEffect, useState } from 'preact/hooks'
import { Alert } from './Alert.tsx'
import type { ProgramsReport, ResidencyReport, StatsRow, StatsTable } from './api.ts'
import { statsApi } from './api.ts'
import { saveBlob } from './util.ts'

const TOKEN_KEY = 'soc-token'
const LEVELS = ['major', 'minor', 'broad', 'detailed', 'extension']

const fmtCount = (v: number | null) =>
  v === null ? '(D)' : v.toLocaleString('en-US', { maximumFractionDigits: 1 })
const fmtMoney = (v: number | null) =>
  v === null ? '(D)' : `$${Math.round(v).toLocaleString('en-US')}`
const fmtShare = (v: number | null) => (v === null ? '(D)' : `${Math.round(v * 1000) / 10}%`)

/** A horizontal bar chart in SVG (no inline styles: the CSP forbids them). */
export function BarChart({
  bars,
  label,
  format,
}: {
  bars: { label: string; value: number }[]
  label: string
  format: (v: number) => string
}) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const rowH = 22
  const labelW = 260
  const width = 640
  const barW = width - labelW - 70
  return (
    <svg
      class="chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${width} ${bars.length * rowH + 4}`}
      width="100%"
    >
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0 ${i * rowH})`}>
          <text x={labelW - 6} y={15} text-anchor="end" class="chart-label">
            {b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label}
          </text>
          <rect
            x={labelW}
            y={4}
            height={14}
            width={Math.max(1, (b.value / max) * barW)}
            class="chart-bar"
          />
          <text x={labelW + (b.value / max) * barW + 4} y={15} class="chart-value">
            {format(b.value)}
          </text>
        </g>
      ))}
    </svg>
  )
}

/** One request at a time: its result, its error, whether it is running. */
function useRequest<T>() {
  const [result, setResult] = useState<T | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const run = (request: Promise<T>) => {
    setBusy(true)
    setError('')
    request.then(
      (r) => {
        setResult(r)
        setBusy(false)
      },
      (err: Error) => {
        setError(err.message)
        setBusy(false)
      },
    )
  }
  return { result, error, setError, busy, run }
}

/** A labelled drop-down of plain values. */
function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string
  value: string
  options: readonly string[]
  onChange: (value: string) => void
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  )
}

/** Downloads what `download` fetches (null: nothing to send yet) under `name`. */
function DownloadButton({
  download,
  name,
  onError,
}: {
  download: () => Promise<Blob> | null
  name: string
  onError: (message: string) => void
}) {
  return (
    <button
      type="button"
      onClick={() =>
        download()?.then(
          (b) => saveBlob(b, name),
          (err: Error) => onError(err.message),
        )
      }
    >
      Download CSV
    </button>
  )
}

/** Column headers for numbers, one per name. */
function NumHeads({ names }: { names: readonly string[] }) {
  return (
    <>
      {names.map((n) => (
        <th key={n} scope="col" class="num">
          {n}
        </th>
      ))}
    </>
  )
}

/** The file an input with this id holds, if any. */
function chosenFile(id: string): File | undefined {
  return (document.getElementById(id) as HTMLInputElement | null)?.files?.[0]
}

/** A file to match against the stored records, the button that shows the report, and its CSV. */
function FileReport({
  id,
  label,
  accept,
  busy,
  shown,
  csv,
  name,
  onError,
}: {
  id: string
  label: string
  accept: string
  busy: boolean
  /** a report is on the page: offer its download */
  shown: boolean
  csv: (file: File) => Promise<Blob>
  name: string
  onError: (message: string) => void
}) {
  return (
    <>
      <label>
        {label} <input id={id} type="file" accept={accept} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Matching…' : 'Show'}
      </button>
      {shown && (
        <DownloadButton
          download={() => {
            const f = chosenFile(id)
            return f ? csv(f) : null
          }}
          name={name}
          onError={onError}
        />
      )}
    </>
  )
}

export function StatsView() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '')
  const [draft, setDraft] = useState('')
  const [tab, setTab] = useState<'occupations' | 'residency' | 'programs'>('occupations')
  if (!token)
    return (
      <section>
        <h1 tabIndex={-1}>Workforce statistics</h1>
        <p>
          These reports come from employers' quarterly wage records. Sign in with the access token
          an administrator gave you (analysts and administrators may read reports).
        </p>
        <form
          class="token-form"
          onSubmit={(e) => {
            e.preventDefault()
            const t = draft.trim()
            if (!t) return
            sessionStorage.setItem(TOKEN_KEY, t)
            setToken(t)
          }}
        >
          <label for="token">Access token</label>
          <input
            id="token"
            type="password"
            autoComplete="off"
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Sign in</button>
        </form>
      </section>
    )
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY)
    setToken('')
  }
  return (
    <section>
      <h1 tabIndex={-1}>Workforce statistics</h1>
      <div class="tabs">
        <div role="tablist" aria-label="Reports" class="tablist">
          {(['occupations', 'residency', 'programs'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`panel-${t}`}
              class={tab === t ? 'tab active' : 'tab'}
              onClick={() => setTab(t)}
            >
              {t === 'occupations'
                ? 'Occupations'
                : t === 'residency'
                  ? 'Nonresidents'
                  : 'Program outcomes'}
            </button>
          ))}
        </div>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </div>
      {/* every panel stays mounted: a table shown on one tab is still there on coming back */}
      {(
        [
          ['occupations', <OccupationsTab key="o" token={token} onAuthFail={signOut} />],
          ['residency', <ResidencyTab key="r" token={token} />],
          ['programs', <ProgramsTab key="p" token={token} />],
        ] as const
      ).map(([t, panel]) => (
        <div
          key={t}
          role="tabpanel"
          id={`panel-${t}`}
          aria-labelledby={`tab-${t}`}
          hidden={tab !== t}
        >
          {panel}
        </div>
      ))}
    </section>
  )
}

function periodsOf(quarters: string[]): string[] {
  const years = [...new Set(quarters.map((q) => q.slice(0, 4)))]
  return [...quarters].reverse().concat(years.reverse())
}

function OccupationsTab({ token, onAuthFail }: { token: string; onAuthFail: () => void }) {
  const [periods, setPeriods] = useState<string[]>([])
  const [period, setPeriod] = useState('')
  const [level, setLevel] = useState('major')
  const [byArea, setByArea] = useState(false)
  const { result: table, error, setError, run } = useRequest<StatsTable>()
  useEffect(() => {
    statsApi.quarters(token).then(
      (r) => {
        const p = periodsOf(r.quarters)
        setPeriods(p)
        setPeriod(p[0] ?? '')
        if (!p.length) setError('No wage records are stored yet.')
      },
      (e: Error & { status?: number }) => {
        if (e.status === 401) onAuthFail()
        else setError(e.message)
      },
    )
  }, [token])
  const query = () =>
    `period=${encodeURIComponent(period)}&level=${level}${byArea ? '&by=area' : ''}&top=15`
  const show = (e: Event) => {
    e.preventDefault()
    run(statsApi.occupations(token, query()))
  }
  const last = table ? table.columns.length - 1 : 0
  return (
    <div>
      <form class="stats-form" onSubmit={show}>
        <Choice label="Period" value={period} options={periods} onChange={setPeriod} />
        <Choice label="Level" value={level} options={LEVELS} onChange={setLevel} />
        <label>
          <input
            type="checkbox"
            checked={byArea}
            onChange={(e) => setByArea((e.target as HTMLInputElement).checked)}
          />{' '}
          by area
        </label>
        <button type="submit" disabled={!period}>
          Show
        </button>
        {table && (
          <DownloadButton
            download={() => statsApi.occupationsCsv(token, query())}
            name={`occupations-${table.period}.csv`}
            onError={setError}
          />
        )}
      </form>
      <Alert message={error} />
      {table && (
        <>
          <h2>
            Workers by occupation, {table.period}
            {table.missingQuarters.length
              ? ` (no records for ${table.missingQuarters.join(', ')})`
              : ''}
          </h2>
          <BarChart
            label={`Top occupations by workers, ${table.period}`}
            bars={(table.top ?? []).map((r) => ({
              label: `${r.code} ${r.title}`,
              value: r.cells[last]?.workers ?? 0,
            }))}
            format={(v) => fmtCount(v)}
          />
          <div class="table-wrap">
            <table class="stats">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Occupation</th>
                  {byArea &&
                    table.columns.slice(0, -1).map((a) => (
                      <th key={a} scope="col" class="num">
                        Area {a || '?'}
                      </th>
                    ))}
                  <NumHeads names={['Workers', 'Wages', 'Median']} />
                </tr>
              </thead>
              <tbody>
                {[...table.rows, table.total].map((r: StatsRow) => (
                  <tr key={r.code} class={r.code === 'total' ? 'total' : ''}>
                    <td>{r.code === 'total' ? '' : r.code || '—'}</td>
                    <td>{r.title}</td>
                    {byArea &&
                      r.cells.slice(0, -1).map((c, i) => (
                        <td key={table.columns[i]} class="num" title={c.suppressed ?? undefined}>
                          {c.workers === 0 ? '' : fmtCount(c.workers)}
                        </td>
                      ))}
                    <td class="num" title={r.cells[last]?.suppressed ?? undefined}>
                      {fmtCount(r.cells[last]?.workers ?? null)}
                    </td>
                    <td class="num">{fmtMoney(r.cells[last]?.wages ?? null)}</td>
                    <td class="num">
                      {r.cells[last]?.workers === 0
                        ? '—'
                        : fmtMoney(r.cells[last]?.medianWages ?? null)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="note">
            (D): not disclosed. {table.suppression.primary} cells are suppressed for confidentiality
            and {table.suppression.complementary} more so that they cannot be derived:{' '}
            {table.suppression.note}. A year's workers are the average of its quarters.
          </p>
        </>
      )}
    </div>
  )
}

function ResidencyTab({ token }: { token: string }) {
  const [period, setPeriod] = useState('')
  const [level, setLevel] = useState('major')
  const { result: report, error, setError, busy, run } = useRequest<ResidencyReport>()
  const query = () => `period=${encodeURIComponent(period.trim())}&level=${level}`
  const submit = (e: Event) => {
    e.preventDefault()
    const f = chosenFile('residents-file')
    if (!f || !period.trim()) {
      setError('Give a period and choose the file of resident SSNs.')
      return
    }
    run(statsApi.residency(token, query(), f))
  }
  return (
    <div>
      <p>
        Upload the list of residents (one SSN per line, for example Permanent Fund Dividend
        applicants). The list is only used for this report: it is not stored.
      </p>
      <form class="stats-form" onSubmit={submit}>
        <label>
          Period{' '}
          <input
            value={period}
            placeholder="2024 or 2024Q1"
            size={10}
            onInput={(e) => setPeriod((e.target as HTMLInputElement).value)}
          />
        </label>
        <Choice label="Level" value={level} options={LEVELS} onChange={setLevel} />
        <FileReport
          id="residents-file"
          label="Residents"
          accept=".csv,.txt,text/plain"
          busy={busy}
          shown={report !== null}
          csv={(f) => statsApi.residencyCsv(token, query(), f)}
          name={`residency-${report?.period ?? ''}.csv`}
          onError={setError}
        />
      </form>
      <Alert message={error} />
      {report && (
        <>
          <h2>
            Nonresident workers, {report.period} ({report.residentsListed.toLocaleString('en-US')}{' '}
            residents listed)
          </h2>
          <BarChart
            label="Nonresident share of workers by occupation"
            bars={report.rows
              .filter((r) => r.nonresidentShare !== null && r.code)
              .sort((a, b) => (b.nonresidentShare ?? 0) - (a.nonresidentShare ?? 0))
              .slice(0, 15)
              .map((r) => ({
                label: `${r.code} ${r.title}`,
                value: (r.nonresidentShare ?? 0) * 100,
              }))}
            format={(v) => `${Math.round(v * 10) / 10}%`}
          />
          <div class="table-wrap">
            <table class="stats">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Occupation</th>
                  <NumHeads names={['Workers', 'Nonresidents', 'Share', 'Nonresident wages']} />
                </tr>
              </thead>
              <tbody>
                {[...report.rows, ...report.total].map((r) => (
                  <tr key={`${r.code}-${r.area}`} class={r.code === 'total' ? 'total' : ''}>
                    <td>{r.code === 'total' ? '' : r.code}</td>
                    <td>{r.title}</td>
                    <td class="num">{fmtCount(r.workers)}</td>
                    <td class="num">{fmtCount(r.nonresidents)}</td>
                    <td class="num">{fmtShare(r.nonresidentShare)}</td>
                    <td class="num">{fmtMoney(r.nonresidentWages)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="note">(D): not disclosed. {report.suppression.note}.</p>
        </>
      )}
    </div>
  )
}

function ProgramsTab({ token }: { token: string }) {
  const { result: report, error, setError, busy, run } = useRequest<ProgramsReport>()
  const submit = (e: Event) => {
    e.preventDefault()
    const f = chosenFile('participants-file')
    if (!f) {
      setError('Choose the participants file (columns ssn, cip, exit_date).')
      return
    }
    run(statsApi.programs(token, 'detailed', f))
  }
  return (
    <div>
      <p>
        Upload program participants (a CSV with columns ssn, cip and exit_date) to see where they
        work in the four quarters after they leave the program.
      </p>
      <form class="stats-form" onSubmit={submit}>
        <FileReport
          id="participants-file"
          label="Participants"
          accept=".csv,text/csv"
          busy={busy}
          shown={report !== null}
          csv={(f) => statsApi.programsCsv(token, 'detailed', f)}
          name="programs.csv"
          onError={setError}
        />
      </form>
      <Alert message={error} />
      {report &&
        [...report.programs, report.all].map((p) => (
          <article key={p.cip} class="program">
            <h2>
              {p.cip === 'all' ? '' : `${p.cip} `}
              {p.title}: {p.participants} participants
            </h2>
            <BarChart
              label={`Share employed by quarter after exit, ${p.title}`}
              bars={p.quarters
                .filter((q) => q.observed > 0)
                .map((q) => ({
                  label: `Quarter ${q.after} after exit`,
                  value: (q.employedShare ?? 0) * 100,
                }))}
              format={(v) => `${Math.round(v * 10) / 10}%`}
            />
            <table class="stats">
              <thead>
                <tr>
                  <th scope="col">Quarter after exit</th>
                  <NumHeads
                    names={['Observed', 'Employed', 'In related occupations', 'Median wages']}
                  />
                </tr>
              </thead>
              <tbody>
                {p.quarters.map((q) =>
                  q.observed === 0 ? (
                    <tr key={q.after}>
                      <td>{q.after}</td>
                      <td class="num" colSpan={4}>
                        no wage records stored for that quarter yet
                      </td>
                    </tr>
                  ) : (
                    <tr key={q.after} title={q.suppressed ?? undefined}>
                      <td>{q.after}</td>
                      <td class="num">{q.observed}</td>
                      <td class="num">{fmtShare(q.employedShare)}</td>
                      <td class="num">{fmtShare(q.relatedShare)}</td>
                      <td class="num">{fmtMoney(q.medianWages)}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
            {p.occupations.length > 0 && (
              <p>
                Occupations two quarters after exit:{' '}
                {p.occupations
                  .slice(0, 6)
                  .map((o) => `${o.code} ${o.title} (${o.workers}${o.related ? ', related' : ''})`)
                  .join('; ')}
                {p.otherOccupations ? `; other occupations: ${p.otherOccupations}` : ''}
              </p>
            )}
          </article>
        ))}
      {report && <p class="note">{report.note}.</p>}
    </div>
  )
}
