/** The web app's calls to the JSON API (same origin), with the shapes it uses. */

export type Candidate = {
  code: string
  title: string
  score: number
  confidence: number
  matched: { title: string; source: string } | null
}
/** what else the coder may use: how many candidates, the employer's industry, the duties */
export type SearchHints = { k?: number; industry?: string; duties?: string }

export type SearchResult = {
  query: { q: string; industry: string | null; industryTitle: string | null; k: number }
  status: 'coded' | 'review' | 'uncodable'
  candidates: Candidate[]
  group: { code: string; level: string; title: string; confidence: number } | null
  notes: string[]
}
/** one result of a batch: its input, or why the record could not be read */
export type BatchResult = {
  index: number
  input?: { title: string; industry?: string; duties?: string }
  status: 'coded' | 'review' | 'uncodable' | 'error'
  error?: string
  candidates: Candidate[]
  group?: { code: string; level: string; title: string; confidence: number } | null
  notes?: string[]
}
export type Group = { code: string; title: string; counts: Record<string, number> }
export type Crumb = { code: string; level: string; title: string }
export type GroupEntry = {
  code: string
  level: string
  title: string
  broadGroup: { code: string; title: string } | null
  description: string
  descriptionSource: 'state' | 'bls'
  examples: string[]
  alaska: { status: 'current' | 'legacy'; successors: string[] } | null
}
export type GroupPage = { group: Crumb; breadcrumb: Crumb[]; entries: GroupEntry[] }
export type CodePage = {
  code: string
  level: string
  title: string
  breadcrumb: Crumb[]
  reportable: boolean
  alaska: { status: string; summary: string; successors: string[]; industry: string | null } | null
  description: string
  stateDescription: string | null
  examples: string[]
  children: Crumb[]
  crossReferences: {
    outgoing: { kind: string; codes: string[]; text: string }[]
    incoming: { kind: string; from: string; text: string }[]
  }
  education: { typical: string; experience: string; training: string } | null
  employment: {
    employment2024: number | null
    medianWage: number | null
    medianWageTopCoded: boolean
  } | null
  confusedWith: { code: string; title: string; why: string }[]
}
export type ReportIssue = {
  row: number
  column: string
  kind: string
  severity: 'error' | 'warning'
  message: string
  suggestion: string | null
}
export type ReportResult = {
  rows: number
  issues: ReportIssue[]
  summary: {
    rows: number
    errors: number
    warnings: number
    wages: number
    byKind: Record<string, number>
  }
  lines: { row: number; text: string }[]
}
export type Rule = { id: string; title: string; text: string }
export type Decision = {
  decision: { code: string; rule: string; reason: string }
  resolved: { where: string; title: string; code: string; codeTitle: string; confidence: number }[]
}

export class ApiError extends Error {
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.status = status
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...(init?.headers ?? {}) },
  })
  const body = (await res.json().catch(() => null)) as ({ error?: { message?: string } } & T) | null
  if (!res.ok) throw new ApiError(body?.error?.message ?? `HTTP ${res.status}`, res.status)
  return body as T
}

export const api = {
  search: (q: string, hints: SearchHints = {}, signal?: AbortSignal) => {
    const p = new URLSearchParams({ q, k: String(hints.k ?? 8) })
    if (hints.industry) p.set('industry', hints.industry)
    if (hints.duties) p.set('duties', hints.duties)
    return call<SearchResult>(`/api/search?${p}`, signal ? { signal } : {})
  },
  groups: () => call<{ groups: Group[] }>('/api/groups'),
  group: (code: string) => call<GroupPage>(`/api/groups/${encodeURIComponent(code)}`),
  code: (code: string) => call<CodePage>(`/api/codes/${encodeURIComponent(code)}`),
  rules: () => call<{ rules: Rule[] }>('/api/rules'),
  /** codes a batch: a CSV file as it is, or titles (one a line) as JSON */
  codeBatch: (body: Blob | string[], industry: string) =>
    call<{ count: number; results: BatchResult[] }>(
      `/api/code?k=5${industry ? `&industry=${encodeURIComponent(industry)}` : ''}`,
      {
        method: 'POST',
        headers: {
          'content-type': Array.isArray(body) ? 'application/json' : 'text/csv',
        },
        body: Array.isArray(body) ? JSON.stringify(body) : body,
      },
    ),
  checkReport: (file: Blob, industry: string) =>
    call<ReportResult>(
      `/api/reports/check${industry ? `?industry=${encodeURIComponent(industry)}` : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      },
    ),
  decide: (body: unknown) =>
    call<Decision>('/api/rules/decide', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
}

export type StatsCell = {
  workers: number | null
  wages: number | null
  medianWages: number | null
  suppressed: string | null
}
export type StatsRow = { code: string; title: string; cells: StatsCell[] }
export type StatsTable = {
  period: string
  quarters: string[]
  missingQuarters: string[]
  level: string
  columns: string[]
  rows: StatsRow[]
  total: StatsRow
  suppression: { primary: number; complementary: number; note: string }
  top: StatsRow[] | null
}
export type ResidencyRow = {
  code: string
  title: string
  area: string
  workers: number | null
  nonresidents: number | null
  nonresidentShare: number | null
  wages: number | null
  nonresidentWages: number | null
  suppressed: string | null
}
export type ResidencyReport = {
  period: string
  residentsListed: number
  rows: ResidencyRow[]
  total: ResidencyRow[]
  suppression: { note: string }
  unreadLines: string[]
}
export type ProgramOutcome = {
  cip: string
  title: string
  participants: number
  quarters: {
    after: number
    observed: number
    employedShare: number | null
    relatedShare: number | null
    medianWages: number | null
    suppressed: string | null
  }[]
  occupations: { code: string; title: string; workers: number; related: boolean }[]
  otherOccupations: number
}
export type ProgramsReport = {
  programs: ProgramOutcome[]
  all: ProgramOutcome
  note: string
  unreadRows: string[]
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` })

async function download(path: string, token: string, init: RequestInit = {}): Promise<Blob> {
  const res = await fetch(path, { ...init, headers: { ...auth(token), ...(init.headers ?? {}) } })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new ApiError(body?.error?.message ?? `HTTP ${res.status}`, res.status)
  }
  return res.blob()
}

/** The wage-record statistics: every call carries the user's bearer token. */
export const statsApi = {
  quarters: (token: string) =>
    call<{ quarters: string[] }>('/api/stats/quarters', { headers: auth(token) }),
  occupations: (token: string, query: string) =>
    call<StatsTable>(`/api/stats/occupations?${query}`, { headers: auth(token) }),
  occupationsCsv: (token: string, query: string) =>
    download(`/api/stats/occupations?${query}&format=csv`, token),
  residency: (token: string, query: string, file: Blob) =>
    call<ResidencyReport>(`/api/stats/residency?${query}`, {
      method: 'POST',
      headers: { ...auth(token), 'content-type': 'text/plain' },
      body: file,
    }),
  residencyCsv: (token: string, query: string, file: Blob) =>
    download(`/api/stats/residency?${query}&format=csv`, token, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: file,
    }),
  programsCsv: (token: string, level: string, file: Blob) =>
    download(`/api/stats/programs?level=${encodeURIComponent(level)}&format=csv`, token, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: file,
    }),
  programs: (token: string, level: string, file: Blob) =>
    call<ProgramsReport>(`/api/stats/programs?level=${encodeURIComponent(level)}`, {
      method: 'POST',
      headers: { ...auth(token), 'content-type': 'text/csv' },
      body: file,
    }),
}
