/** The web app: search as you type, the state page's groups, code pages, the coding-rules helper, coding a list of titles. */
import { render } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { Alert } from './Alert.tsx'
import type {
  CodePage,
  Decision,
  Group,
  GroupEntry,
  GroupPage,
  ReportIssue,
  ReportResult,
  Rule,
  SearchResult,
} from './api.ts'
import { api } from './api.ts'
import { BatchView } from './Batch.tsx'
import { StatsView } from './Stats.tsx'
import { NAICS_CODE, pct } from './util.ts'

type Route =
  | { page: 'home' }
  | { page: 'group'; code: string }
  | { page: 'code'; code: string }
  | { page: 'rules' }
  | { page: 'report' }
  | { page: 'titles' }
  | { page: 'stats' }

function parseRoute(hash: string): Route {
  const m = /^#\/(group|code)\/([\d.-]+)$/.exec(hash)
  if (m) return { page: m[1] as 'group' | 'code', code: m[2] as string }
  if (hash === '#/rules') return { page: 'rules' }
  if (hash === '#/report') return { page: 'report' }
  if (hash === '#/titles') return { page: 'titles' }
  if (hash === '#/stats') return { page: 'stats' }
  return { page: 'home' }
}

function useRoute(): Route {
  const [route, setRoute] = useState(parseRoute(location.hash))
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash))
    addEventListener('hashchange', on)
    return () => removeEventListener('hashchange', on)
  }, [])
  return route
}

function useFocusHeading(dep: unknown) {
  // move focus to the page heading when the page changes, for screen readers and keyboards
  useEffect(() => {
    const h = document.querySelector<HTMLElement>('main h1')
    h?.focus()
  }, [dep])
}

const num = (n: number) => n.toLocaleString('en-US')

function App() {
  const route = useRoute()
  useFocusHeading(location.hash)
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a href="#/" class="brand">
          Alaska SOC codes
        </a>
        <nav aria-label="Main">
          <a href="#/">Search</a>
          <a href="#/rules">Coding rules helper</a>
          <a href="#/titles">Code a list of titles</a>
          <a href="#/report">Check a wage file</a>
          <a href="#/stats">Statistics</a>
        </nav>
      </header>
      <main id="main">
        {route.page === 'home' && <Home />}
        {route.page === 'group' && <GroupView code={route.code} />}
        {route.page === 'code' && <CodeView code={route.code} />}
        {route.page === 'rules' && <RulesView />}
        {route.page === 'titles' && <BatchView />}
        {route.page === 'report' && <ReportView />}
        {route.page === 'stats' && <StatsView />}
      </main>
      <footer>
        <p>
          Standard Occupational Classification 2018 (BLS) with the State of Alaska's extension
          codes.
        </p>
        <p>
          This product includes information from the O*NET 30.3 Database by the U.S. Department of
          Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0
          license. O*NET® is a trademark of USDOL/ETA. soc-alaska has modified all or some of this
          information. USDOL/ETA has not approved, endorsed, or tested these modifications.
        </p>
      </footer>
    </>
  )
}

function Home() {
  const [groups, setGroups] = useState<Group[]>([])
  useEffect(() => {
    api.groups().then(
      (g) => setGroups(g.groups),
      () => setGroups([]),
    )
  }, [])
  return (
    <>
      <h1 tabIndex={-1}>Find the occupation code</h1>
      <p class="lead">
        Type a job title: the codes that fit appear as you type, with how sure we are.
      </p>
      <SearchBox />
      <section aria-labelledby="browse">
        <h2 id="browse">Browse by major group</h2>
        <label for="major">Major group</label>
        <select
          id="major"
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value
            if (v) location.hash = `#/group/${v}`
          }}
        >
          <option value="">Choose a major group…</option>
          {groups.map((g) => (
            <option value={g.code} key={g.code}>
              {g.code} {g.title}
            </option>
          ))}
        </select>
      </section>
    </>
  )
}

function SearchBox() {
  const [q, setQ] = useState('')
  // the employer's industry moves the ranking ("processor" in seafood processing or at a post office)
  const [industry, setIndustry] = useState('')
  const naics = industry.trim()
  const industryOk = naics === '' || NAICS_CODE.test(naics)
  // what the worker does, in a few words: it moves the ranking too (a forklift "operator")
  const [duties, setDuties] = useState('')
  const what = duties.trim().slice(0, 2000)
  const [result, setResult] = useState<SearchResult | null>(null)
  const [active, setActive] = useState(-1)
  const [error, setError] = useState('')
  const timer = useRef<number | undefined>(undefined)
  const controller = useRef<AbortController | null>(null)
  useEffect(() => {
    clearTimeout(timer.current)
    if (q.trim().length < 2) {
      setResult(null)
      return
    }
    timer.current = setTimeout(() => {
      controller.current?.abort()
      const ac = new AbortController()
      controller.current = ac
      api.search(q, { k: 8, industry: industryOk ? naics : '', duties: what }, ac.signal).then(
        (r) => {
          setResult(r)
          setActive(-1)
          setError('')
        },
        (err: Error) => {
          if (err.name !== 'AbortError') setError(err.message)
        },
      )
    }, 150) as unknown as number
  }, [q, naics, industryOk, what])
  const items = result?.candidates ?? []
  const open = (code: string) => {
    location.hash = `#/code/${code}`
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setActive((a) => Math.min(items.length - 1, a + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(-1, a - 1))
    } else if (e.key === 'Enter') {
      const c = items[Math.max(active, 0)]
      if (c) open(c.code)
    } else if (e.key === 'Escape') {
      setResult(null)
    }
  }
  return (
    <div class="search">
      <div class="search-fields">
        <div>
          <label for="q">Job title</label>
          <input
            id="q"
            type="search"
            autocomplete="off"
            // biome-ignore lint/a11y/noRedundantRoles: the ARIA combobox pattern needs the role on a text input
            role="combobox"
            list={undefined}
            aria-expanded={items.length > 0}
            aria-controls="suggestions"
            aria-autocomplete="list"
            aria-activedescendant={active >= 0 ? `s-${active}` : undefined}
            placeholder="e.g. slime line worker"
            value={q}
            onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={onKey}
          />
        </div>
        <div>
          <label for="industry">Industry (NAICS code)</label>
          <input
            id="industry"
            inputMode="numeric"
            autocomplete="off"
            placeholder="e.g. 311710"
            aria-invalid={!industryOk}
            aria-describedby="industry-help"
            value={industry}
            onInput={(e) => setIndustry((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </div>
      <p id="industry-help" class={industryOk ? 'hint' : 'hint invalid'} aria-live="polite">
        {!industryOk
          ? `"${naics}" is not a NAICS code: type 2 to 6 digits, or leave it empty.`
          : naics && result?.query.industry === naics
            ? `Industry ${naics}: ${result.query.industryTitle ?? 'not a NAICS 2022 code, only its sector is used'}`
            : "Optional: the employer's industry helps tell apart jobs with the same title."}
      </p>
      <details class="duties">
        <summary>Describe the duties (optional)</summary>
        <label for="duties">What does the worker do?</label>
        <textarea
          id="duties"
          rows={2}
          maxLength={2000}
          placeholder="e.g. drives a forklift to move pallets in the warehouse"
          value={duties}
          onInput={(e) => setDuties((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </details>
      <Alert message={error} />
      <p class="status" aria-live="polite">
        {result
          ? result.status === 'uncodable'
            ? `No code for this title: ${result.notes.join('; ')}`
            : `${items.length} suggestions${result.status === 'coded' ? '' : ', check before using'}`
          : ''}
      </p>
      {items.length > 0 && (
        <div id="suggestions" role="listbox" aria-label="Suggested codes" class="suggestions">
          {items.map((c, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are handled on the combobox input (aria-activedescendant)
            <div
              id={`s-${i}`}
              key={c.code}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onClick={() => open(c.code)}
            >
              <span class="code">{c.code}</span> <span class="title">{c.title}</span>{' '}
              <span class="conf">{pct(c.confidence)}</span>
              {c.matched && <span class="matched">matches “{c.matched.title}”</span>}
            </div>
          ))}
        </div>
      )}
      {result?.group && (
        <p class="group-guess">
          Likely {result.group.level} group:{' '}
          <a href={`#/code/${result.group.code}`}>
            {result.group.code} {result.group.title}
          </a>{' '}
          ({pct(result.group.confidence)})
        </p>
      )}
      {result && result.status !== 'uncodable' && result.notes.length > 0 && (
        <ul class="coder-notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function useLoad<T>(load: () => Promise<T>, key: string): { data: T | null; error: string } {
  const [state, setState] = useState<{ data: T | null; error: string }>({ data: null, error: '' })
  useEffect(() => {
    setState({ data: null, error: '' })
    load().then(
      (data) => setState({ data, error: '' }),
      (err: Error) => setState({ data: null, error: err.message }),
    )
  }, [key])
  return state
}

function Breadcrumb({ crumbs }: { crumbs: { code: string; level: string; title: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumb">
      <ol>
        {crumbs.map((c, i) => (
          <li key={c.code}>
            {i === crumbs.length - 1 ? (
              <span aria-current="page">
                {c.code} {c.title}
              </span>
            ) : (
              <a href={c.level === 'major' ? `#/group/${c.code}` : `#/code/${c.code}`}>
                {c.code} {c.title}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}

function GroupView({ code }: { code: string }) {
  const { data, error } = useLoad<GroupPage>(() => api.group(code), code)
  if (error) return <Problem title={`Group ${code}`} message={error} />
  if (!data) return <p aria-busy="true">Loading…</p>
  let lastBroad = ''
  return (
    <>
      <Breadcrumb crumbs={data.breadcrumb} />
      <h1 tabIndex={-1}>
        {data.group.code} {data.group.title}
      </h1>
      <div class="entries">
        {data.entries.map((e: GroupEntry) => {
          const heading = e.broadGroup && e.broadGroup.code !== lastBroad ? e.broadGroup : null
          if (e.broadGroup) lastBroad = e.broadGroup.code
          return (
            <>
              {heading && <h2 class="broad">Broad Group: {heading.title}</h2>}
              <article class={`entry${e.alaska ? ' alaska' : ''}`} key={e.code} id={`e-${e.code}`}>
                <h3>
                  SOC Code: <a href={`#/code/${e.code}`}>{e.code}</a> {e.title}
                  {e.alaska && (
                    <span class="badge">
                      Alaska {e.alaska.status === 'legacy' ? 'legacy code' : 'code'}
                    </span>
                  )}
                </h3>
                <h4>SOC Description</h4>
                <p>{e.description}</p>
                {e.examples.length > 0 && (
                  <>
                    <h4>SOC Example</h4>
                    <p>{e.examples.join(', ')}</p>
                  </>
                )}
              </article>
            </>
          )
        })}
      </div>
    </>
  )
}

function CodeView({ code }: { code: string }) {
  const { data, error } = useLoad<CodePage>(() => api.code(code), code)
  const [copied, setCopied] = useState(false)
  if (error) return <Problem title={`Code ${code}`} message={error} />
  if (!data) return <p aria-busy="true">Loading…</p>
  const copy = () => {
    navigator.clipboard?.writeText(data.code).then(
      () => setCopied(true),
      () => setCopied(false),
    )
  }
  const permalink = `${location.origin}${location.pathname}#/code/${data.code}`
  return (
    <>
      <Breadcrumb crumbs={data.breadcrumb} />
      <h1 tabIndex={-1}>
        <span class="code">{data.code}</span> {data.title}
      </h1>
      <p class="actions">
        <button type="button" onClick={copy}>
          Copy code
        </button>{' '}
        <span aria-live="polite">{copied ? `Copied ${data.code}` : ''}</span>{' '}
        <a href={`#/code/${data.code}`} class="permalink">
          Permalink
        </a>{' '}
        <span class="sr-only">{permalink}</span>
      </p>
      {!data.reportable && (
        <p class="note">
          {data.alaska?.status === 'legacy'
            ? `A legacy Alaska code: report ${data.alaska.successors[0]} instead.`
            : 'A group, not a code to report: choose one of its detailed codes.'}
        </p>
      )}
      {data.alaska && data.alaska.status === 'current' && (
        <p class="badge-line">
          <span class="badge">Alaska code</span>{' '}
          {data.alaska.summary !== data.description
            ? data.alaska.summary
            : 'defined by the State of Alaska'}
        </p>
      )}
      <h2>Description</h2>
      <p>{data.description}</p>
      {data.examples.length > 0 && (
        <>
          <h2>Example titles</h2>
          <p>{data.examples.join(', ')}</p>
        </>
      )}
      {data.children.length > 0 && (
        <>
          <h2>Contains</h2>
          <ul>
            {data.children.map((c) => (
              <li key={c.code}>
                <a href={`#/code/${c.code}`}>
                  {c.code} {c.title}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.crossReferences.outgoing.length > 0 && (
        <>
          <h2>Includes and excludes</h2>
          <ul>
            {data.crossReferences.outgoing.map((r, i) => (
              <li key={i}>
                <strong>{r.kind}</strong>: {r.text}{' '}
                {r.codes.map((c) => (
                  <a key={c} href={`#/code/${c}`} class="chip">
                    {c}
                  </a>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="facts">
        {data.education && (
          <section>
            <h2>Typical education</h2>
            <p>{data.education.typical}</p>
            <p class="small">
              Experience: {data.education.experience}. Training: {data.education.training}.
            </p>
          </section>
        )}
        {data.employment && (
          <section>
            <h2>United States</h2>
            <p>
              {data.employment.employment2024 !== null && (
                <>Employment 2024: {num(data.employment.employment2024)}. </>
              )}
              {data.employment.medianWage !== null && (
                <>
                  Median wage: ${num(data.employment.medianWage)}
                  {data.employment.medianWageTopCoded ? ' or more' : ''} a year.
                </>
              )}
            </p>
          </section>
        )}
      </div>
      {data.confusedWith.length > 0 && (
        <>
          <h2>Commonly confused with</h2>
          <ul>
            {data.confusedWith.map((c) => (
              <li key={c.code}>
                <a href={`#/code/${c.code}`}>
                  {c.code} {c.title}
                </a>{' '}
                <span class="small">({c.why})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

type ActivityRow = { text: string; share: string }

function RulesView() {
  const { data } = useLoad<{ rules: Rule[] }>(() => api.rules(), 'rules')
  const [rows, setRows] = useState<ActivityRow[]>([
    { text: '', share: '50' },
    { text: '', share: '50' },
  ])
  const [jobs, setJobs] = useState('')
  const [decision, setDecision] = useState<Decision | null>(null)
  const [jobDecision, setJobDecision] = useState<Decision | null>(null)
  const [sup, setSup] = useState({ supervisor: '', staff: '', share: '20' })
  const [supDecision, setSupDecision] = useState<Decision | null>(null)
  const [error, setError] = useState('')
  const asRef = (text: string) =>
    /^\s*\d{2}-?\d{4}(\.\d{2})?\s*$/.test(text) ? { code: text.trim() } : { title: text }
  const decide = (e: Event) => {
    e.preventDefault()
    setError('')
    api
      .decide({
        activities: rows
          .filter((r) => r.text.trim())
          .map((r) => ({ ...asRef(r.text), share: Number(r.share) || 0 })),
      })
      .then(setDecision, (err: Error) => setError(err.message))
  }
  const decideJobs = (e: Event) => {
    e.preventDefault()
    setError('')
    const list = jobs
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    api
      .decide({ jobs: list.map(asRef) })
      .then(setJobDecision, (err: Error) => setError(err.message))
  }
  const decideSupervisor = (e: Event) => {
    e.preventDefault()
    setError('')
    const staff = asRef(sup.staff)
    api
      .decide({
        supervisor: {
          supervisorCode: sup.supervisor.trim(),
          ...('code' in staff ? { staffCode: staff.code } : { staffTitle: staff.title }),
          staffWorkShare: Number(sup.share) || 0,
        },
      })
      .then(setSupDecision, (err: Error) => setError(err.message))
  }
  return (
    <>
      <h1 tabIndex={-1}>Coding rules helper</h1>
      <form onSubmit={decide} aria-labelledby="two">
        <h2 id="two">One job, several activities</h2>
        <p>Enter each activity as a job title or a code, with its share of the working time.</p>
        {rows.map((r, i) => (
          <div class="row" key={i}>
            <label for={`act-${i}`}>Activity {i + 1}</label>
            <input
              id={`act-${i}`}
              value={r.text}
              placeholder={i === 0 ? 'e.g. bookkeeper' : 'e.g. 43-4171'}
              onInput={(e) =>
                setRows(
                  rows.map((x, j) =>
                    j === i ? { ...x, text: (e.currentTarget as HTMLInputElement).value } : x,
                  ),
                )
              }
            />
            <label for={`share-${i}`}>Share of time (%)</label>
            <input
              id={`share-${i}`}
              type="number"
              min="0"
              max="100"
              value={r.share}
              onInput={(e) =>
                setRows(
                  rows.map((x, j) =>
                    j === i ? { ...x, share: (e.currentTarget as HTMLInputElement).value } : x,
                  ),
                )
              }
            />
          </div>
        ))}
        <p>
          <button type="button" onClick={() => setRows([...rows, { text: '', share: '0' }])}>
            Add an activity
          </button>{' '}
          <button type="submit">Decide the code</button>
        </p>
        {decision && <DecisionView d={decision} />}
      </form>
      <form onSubmit={decideJobs} aria-labelledby="jobs">
        <h2 id="jobs">Changed jobs during the quarter</h2>
        <label for="job-list">The jobs held, in order, one per line (titles or codes)</label>
        <textarea
          id="job-list"
          rows={4}
          value={jobs}
          onInput={(e) => setJobs((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <p>
          <button type="submit">Decide the code</button>
        </p>
        {jobDecision && <DecisionView d={jobDecision} />}
      </form>
      <form onSubmit={decideSupervisor} aria-labelledby="sup">
        <h2 id="sup">A supervisor who also does the staff's work</h2>
        <label for="sup-code">Supervisory code</label>
        <input
          id="sup-code"
          value={sup.supervisor}
          placeholder="e.g. 35-1012"
          onInput={(e) =>
            setSup({ ...sup, supervisor: (e.currentTarget as HTMLInputElement).value })
          }
        />
        <label for="staff">The staff's job (title or code)</label>
        <input
          id="staff"
          value={sup.staff}
          placeholder="e.g. line cook"
          onInput={(e) => setSup({ ...sup, staff: (e.currentTarget as HTMLInputElement).value })}
        />
        <label for="staff-share">Share of time doing the staff's own work (%)</label>
        <input
          id="staff-share"
          type="number"
          min="0"
          max="100"
          value={sup.share}
          onInput={(e) => setSup({ ...sup, share: (e.currentTarget as HTMLInputElement).value })}
        />
        <p>
          <button type="submit">Decide the code</button>
        </p>
        {supDecision && <DecisionView d={supDecision} />}
      </form>
      <Alert message={error} />
      <h2>The state's coding rules</h2>
      <dl class="rules">
        {data?.rules.map((r) => (
          <>
            <dt key={`t-${r.id}`}>{r.title}</dt>
            <dd key={`d-${r.id}`}>{r.text}</dd>
          </>
        ))}
      </dl>
    </>
  )
}

function DecisionView({ d }: { d: Decision }) {
  return (
    <div class="decision" role="status">
      <p>
        Report <a href={`#/code/${d.decision.code}`}>{d.decision.code}</a>.
      </p>
      <p>{d.decision.reason}.</p>
      {d.resolved.length > 0 && (
        <ul class="small">
          {d.resolved.map((r) => (
            <li key={r.where}>
              {r.where}: “{r.title}” coded as {r.code} {r.codeTitle} ({pct(r.confidence)})
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

const KIND_LABEL: Record<string, string> = {
  'ssn-format': 'SSN not 9 digits',
  'ssn-invalid': 'SSN never issued',
  'ssn-duplicate': 'SSN repeated',
  'name-missing': 'Name missing',
  'wages-format': 'Wages not an amount',
  'wages-not-positive': 'Zero or negative wages',
  'occupation-missing': 'Occupation code missing',
  'occupation-malformed': 'Occupation code malformed',
  'occupation-group': 'A group, not a code',
  'occupation-soc2010': 'SOC 2010 code',
  'occupation-onet': 'O*NET code',
  'occupation-naics': 'An industry (NAICS) code',
  'occupation-unknown': 'Unknown code',
  'occupation-legacy': 'Legacy Alaska code',
  'occupation-extension': "The state's extension applies",
  'area-format': 'Geographic code not two digits',
  'area-unknown': 'Geographic code not in the table',
}

function ReportView() {
  const [result, setResult] = useState<ReportResult | null>(null)
  const [industry, setIndustry] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  // row -> the occupation code to write (accepted suggestion or the user's own)
  const [codes, setCodes] = useState<Record<number, string>>({})
  const [accepted, setAccepted] = useState<Record<number, boolean>>({})
  const [download, setDownload] = useState('')
  const submit = (e: Event) => {
    e.preventDefault()
    const input = document.getElementById('wage-file') as HTMLInputElement
    const file = input.files?.[0]
    if (!file) {
      setError('Choose a file first.')
      return
    }
    setBusy(true)
    setError('')
    api.checkReport(file, industry.trim()).then(
      (r) => {
        const c: Record<number, string> = {}
        const a: Record<number, boolean> = {}
        for (const i of r.issues)
          if (i.column === 'occupation' && i.suggestion) {
            c[i.row] = i.suggestion
            a[i.row] = true
          }
        setCodes(c)
        setAccepted(a)
        setResult(r)
        setBusy(false)
      },
      (err: Error) => {
        setError(err.message)
        setBusy(false)
      },
    )
  }
  const makeFile = () => {
    if (!result) return
    const text = result.lines
      .map((l) => {
        const code = codes[l.row]
        if (!accepted[l.row] || !code) return l.text
        const cells = l.text.split(',')
        if (cells.length >= 6) cells[4] = code.trim()
        return cells.join(',')
      })
      .join('\n')
    if (download) URL.revokeObjectURL(download)
    setDownload(URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/csv' })))
  }
  const groups = new Map<string, ReportIssue[]>()
  for (const i of result?.issues ?? []) groups.set(i.kind, [...(groups.get(i.kind) ?? []), i])
  return (
    <>
      <h1 tabIndex={-1}>Check a wage file</h1>
      <p class="lead">
        Upload a quarterly wage file (CSV with a header, the state's upload format, up to 10 MB).
        Each row is checked: SSN, name, wages, occupation code (coded from the job title when it is
        missing or wrong) and area code. SSNs are never shown in full.
      </p>
      <form onSubmit={submit}>
        <label for="wage-file">Wage file</label>
        <input id="wage-file" type="file" accept=".csv,.txt,text/csv" />
        <label for="report-industry">Your industry (NAICS code, optional)</label>
        <input
          id="report-industry"
          inputMode="numeric"
          value={industry}
          onInput={(e) => setIndustry((e.currentTarget as HTMLInputElement).value)}
        />
        <p>
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Check the file'}
          </button>
        </p>
      </form>
      <Alert message={error} />
      {result && (
        <section aria-labelledby="report-summary">
          <h2 id="report-summary">
            {result.rows} rows: {result.summary.errors} errors, {result.summary.warnings} warnings
          </h2>
          {[...groups].map(([kind, list]) => (
            <details key={kind} open={list.length <= 20} class="issue-group">
              <summary>
                {KIND_LABEL[kind] ?? kind} ({list.length})
              </summary>
              <ul>
                {list.slice(0, 200).map((i, n) => (
                  <li key={`${i.row}-${n}`}>
                    Row {i.row}: {i.message}
                    {i.column === 'occupation' && i.suggestion && (
                      <span class="fix">
                        {' '}
                        <label>
                          <input
                            type="checkbox"
                            checked={accepted[i.row] ?? false}
                            onChange={(e) =>
                              setAccepted({
                                ...accepted,
                                [i.row]: (e.currentTarget as HTMLInputElement).checked,
                              })
                            }
                          />{' '}
                          use
                        </label>{' '}
                        <label class="sr-only" for={`code-${i.row}`}>
                          Code for row {i.row}
                        </label>
                        <input
                          id={`code-${i.row}`}
                          class="code-input"
                          value={codes[i.row] ?? ''}
                          onInput={(e) =>
                            setCodes({
                              ...codes,
                              [i.row]: (e.currentTarget as HTMLInputElement).value,
                            })
                          }
                        />
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          ))}
          <p>
            <button type="button" onClick={makeFile}>
              Prepare the corrected file
            </button>{' '}
            {download && (
              <a href={download} download="corrected-wages.csv" class="download">
                Download the corrected file
              </a>
            )}
          </p>
        </section>
      )}
    </>
  )
}

function Problem({ title, message }: { title: string; message: string }) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <Alert message={message} />
      <p>
        <a href="#/">Back to search</a>
      </p>
    </>
  )
}

const root = document.getElementById('app')
if (root) render(<App />, root)
