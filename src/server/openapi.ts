/** The API's OpenAPI 3.1 description, served at GET /api/openapi.json. */

const code = { type: 'string', pattern: '^\\d{2}-\\d{4}(\\.\\d{2})?$', examples: ['51-3022.05'] }
const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'issues'],
      properties: {
        code: { type: 'string', examples: ['NOT_FOUND'] },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object' } },
      },
    },
  },
}
const q = (name: string, required: boolean, description: string) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
})
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})
const candidate = {
  type: 'object',
  required: ['code', 'title', 'score', 'confidence', 'matched'],
  properties: {
    code,
    title: { type: 'string' },
    score: { type: 'number' },
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'calibrated probability that this is the right code',
    },
    matched: {
      type: ['object', 'null'],
      properties: { title: { type: 'string' }, source: { type: 'string' } },
    },
  },
}
const codeResult = {
  type: 'object',
  required: ['status', 'candidates', 'group', 'notes'],
  properties: {
    status: { enum: ['coded', 'review', 'uncodable'] },
    candidates: { type: 'array', items: { $ref: '#/components/schemas/Candidate' } },
    group: {
      type: ['object', 'null'],
      description: 'when unsure at six digits: the likely broad or minor group',
      properties: {
        code,
        level: { enum: ['broad', 'minor'] },
        title: { type: 'string' },
        confidence: { type: 'number' },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
  },
}
const searchResult = {
  allOf: [
    { $ref: '#/components/schemas/CodeResult' },
    {
      type: 'object',
      required: ['query'],
      properties: {
        query: {
          type: 'object',
          properties: {
            q: { type: 'string' },
            industry: { type: ['string', 'null'] },
            industryTitle: {
              type: ['string', 'null'],
              description:
                "the NAICS 2022 title the industry was read as (its own, or its nearest parent's)",
            },
            k: { type: 'integer' },
          },
        },
      },
    },
  ],
}
const codeParam = {
  name: 'code',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  example: '11-1021.51',
}

export function openApiDocument(): unknown {
  return {
    openapi: '3.1.0',
    info: {
      title: 'soc-alaska',
      version: '0.1.0',
      description:
        'The Standard Occupational Classification (SOC 2018) as the State of Alaska uses it: browse, look up, check and code job titles. Includes O*NET data (CC BY 4.0).',
    },
    paths: {
      '/api/groups': {
        get: {
          summary: 'The 23 major groups, with counts of what they contain',
          responses: { 200: { description: 'major groups' } },
        },
      },
      '/api/groups/{code}': {
        get: {
          summary: "A group's entries in the state page's order, and its tree",
          parameters: [codeParam],
          responses: {
            200: { description: 'the group' },
            404: errorResponse('no such group (with the nearest codes)'),
          },
        },
      },
      '/api/codes/{code}': {
        get: {
          summary:
            'One code: entry, breadcrumb, cross-references, Alaska flag, education, employment, examples, codes it is confused with',
          parameters: [codeParam],
          responses: {
            200: { description: 'the entry' },
            404: errorResponse('unknown code (with the nearest codes)'),
          },
        },
      },
      '/api/check/{code}': {
        get: {
          summary: "The code grammar's verdict: reportable, or why not and what to report instead",
          parameters: [codeParam],
          responses: { 200: { description: 'the verdict' } },
        },
      },
      '/api/search': {
        get: {
          summary:
            'Code a job title: ranked candidates with calibrated confidence and the matched title',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: true,
              schema: { type: 'string', maxLength: 1000 },
              example: 'slime line worker',
            },
            {
              name: 'industry',
              in: 'query',
              schema: { type: 'string', pattern: '^\\d{2,6}$' },
              description: 'NAICS code',
            },
            { name: 'duties', in: 'query', schema: { type: 'string' } },
            {
              name: 'k',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
            },
          ],
          responses: {
            200: {
              description: 'results',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/SearchResult' } },
              },
            },
            400: errorResponse('malformed parameter'),
            429: errorResponse('rate limited'),
          },
        },
      },
      '/api/code': {
        post: {
          summary:
            'Code a batch of up to 10,000 titles: a JSON array, JSONL, CSV with a title column, or plain text with one title a line',
          parameters: [
            {
              name: 'k',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
            },
            {
              name: 'industry',
              in: 'query',
              schema: { type: 'string', pattern: '^\\d{2,6}$' },
              description: "the employer's NAICS code, for the records that give none",
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  items: {
                    oneOf: [
                      { type: 'string' },
                      {
                        type: 'object',
                        required: ['title'],
                        properties: {
                          title: { type: 'string' },
                          industry: { type: 'string' },
                          duties: { type: 'string' },
                        },
                      },
                    ],
                  },
                },
              },
              'application/x-ndjson': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          responses: {
            200: { description: 'one result per input record, in order' },
            400: errorResponse('malformed body'),
            413: errorResponse('over 10 MB or 10,000 titles'),
            415: errorResponse('unsupported content type'),
          },
        },
      },
      '/api/reports/check': {
        post: {
          summary:
            "Check a quarterly wage file: issues per row (SSNs masked) and the corrected file in the state's upload format",
          parameters: [
            {
              name: 'layout',
              in: 'query',
              schema: { type: 'string' },
              description:
                'header (default when a header is found), state, state:FIELDS, fixed:F@START+LEN,...',
            },
            { name: 'industry', in: 'query', schema: { type: 'string', pattern: '^\\d{2,6}$' } },
            {
              name: 'fix',
              in: 'query',
              schema: { type: 'string' },
              example: 'codes:0.9,extensions',
            },
            {
              name: 'total',
              in: 'query',
              schema: { type: 'string' },
              description: 'declared total of wages',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            },
          },
          responses: {
            200: {
              description:
                '{rows, issues: [{row, column, kind, severity, message, suggestion}], summary, corrected}',
            },
            400: errorResponse(
              'a file that cannot be read (empty, binary, no SSN/wages/occupation column) or bad parameters',
            ),
            413: errorResponse('over 10 MB'),
            415: errorResponse('unsupported content type'),
          },
        },
      },
      '/api/rules': {
        get: { summary: "The state's coding rules", responses: { 200: { description: 'rules' } } },
      },
      '/api/rules/decide': {
        post: {
          summary:
            'Apply the coding rules: two activities, jobs held in a quarter, or a supervisor',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    activities: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { code, title: { type: 'string' }, share: { type: 'number' } },
                      },
                    },
                    jobs: {
                      type: 'array',
                      items: { type: 'object', properties: { code, title: { type: 'string' } } },
                    },
                    supervisor: {
                      type: 'object',
                      properties: {
                        supervisorCode: code,
                        staffCode: code,
                        staffTitle: { type: 'string' },
                        staffWorkShare: {
                          type: 'number',
                          description: 'share of time doing the staff’s own work, 0..1 or %',
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            200: { description: 'the code to report and the rule that decided it' },
            400: errorResponse('bad case'),
            415: errorResponse('not JSON'),
          },
        },
      },
      '/api/ingest': {
        post: {
          summary: "Store one employer's checked quarterly wage file (all or nothing)",
          description:
            'Roles: employer (its own account) or admin. The file that is already current for the account and quarter is a duplicate and is not counted twice; another file replaces it and the earlier one stays in the history. A file with errors is refused (422) unless an admin sends force=true; rows without a valid SSN or wages are then left out.',
          security: [{ bearer: [] }],
          parameters: [
            q('account', true, 'employer account number'),
            q('quarter', true, 'e.g. 2024Q1'),
            q('force', false, 'true: store a file with errors (admin)'),
            q('layout', false, 'header | state | state:FIELDS | fixed:...'),
            q('industry', false, "the employer's NAICS code"),
            q('name', false, 'a file name to keep'),
          ],
          requestBody: {
            required: true,
            content: { 'text/csv': {}, 'application/octet-stream': {} },
          },
          responses: {
            200: {
              description:
                '{status: stored | replaced | duplicate, submission, skipped, errors, warnings}',
            },
            401: errorResponse('no valid token'),
            403: errorResponse('wrong role or account'),
            413: errorResponse('over 10 MB'),
            422: errorResponse('the file has errors (issues listed, SSNs masked)'),
          },
        },
      },
      '/api/submissions': {
        get: {
          summary: 'Stored files (an employer sees only its own account)',
          security: [{ bearer: [] }],
          parameters: [
            q('account', false, ''),
            q('quarter', false, ''),
            q('history', false, 'true: include replaced files'),
          ],
          responses: {
            200: { description: '{submissions: [...]}' },
            401: errorResponse('no valid token'),
            403: errorResponse('another account'),
          },
        },
      },
      '/api/stats/quarters': {
        get: {
          summary: 'Quarters that hold records',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{quarters: ["2024Q1", ...]}' } },
        },
      },
      '/api/stats/occupations': {
        get: {
          summary:
            'Workers, total and median wages by occupation (x area), with confidentiality suppression',
          description:
            'Roles: analyst, admin. Cells with fewer than 3 employers or one employer over 50% of the workers are suppressed (values null, suppressed: employers | dominance), and further cells (complementary) so that none can be derived from the totals. A year is the average of its quarters. Every read is audited.',
          security: [{ bearer: [] }],
          parameters: [
            q('period', true, '2024 or 2024Q1'),
            q('level', false, 'major (default) | minor | broad | detailed | extension'),
            q('by', false, 'area: one column per geographic area'),
            q('within', false, 'only occupations under this group'),
            q('area', false, 'only this area'),
            q('top', false, 'also list the N largest occupations'),
            q('compare', false, 'true: change on the same period a year before'),
            q('format', false, 'csv: a download, one line per cell'),
          ],
          responses: {
            200: {
              description: 'a table: columns, rows [{code, title, cells}], total, suppression',
            },
            400: errorResponse('bad parameter'),
            401: errorResponse('no valid token'),
            403: errorResponse('not an analyst'),
          },
        },
      },
      '/api/stats/residency': {
        post: {
          summary: 'Nonresident workers and wages by occupation (the Nonresidents report tables)',
          description:
            'The body is the list of resident SSNs (one per line); it is hashed at once and not stored.',
          security: [{ bearer: [] }],
          parameters: [
            q('period', true, '2024 or 2024Q1'),
            q('level', false, ''),
            q('by', false, 'area'),
            q('format', false, 'csv'),
          ],
          requestBody: { required: true, content: { 'text/plain': {} } },
          responses: {
            200: {
              description:
                'rows with workers, nonresidents, shares and wages; suppressed cells null',
            },
          },
        },
      },
      '/api/stats/programs': {
        post: {
          summary:
            'Program outcomes: employment, related occupations (CIP-SOC) and median wages in quarters 1-4 after exit',
          security: [{ bearer: [] }],
          parameters: [
            q('level', false, 'level of the occupations listed (default detailed)'),
            q('format', false, 'csv'),
          ],
          requestBody: {
            required: true,
            content: { 'text/csv': { schema: { description: 'header with ssn, cip, exit_date' } } },
          },
          responses: {
            200: {
              description:
                'per program: participants, quarters [{after, observed, employedShare, relatedShare, medianWages}], occupations',
            },
          },
        },
      },
      '/api/tokens': {
        get: {
          summary: 'Tokens (admin; never the token or its hash)',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{tokens}' } },
        },
        post: {
          summary: 'Create a token (admin); the token is shown once',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['role'],
                  properties: {
                    role: { enum: ['employer', 'analyst', 'admin'] },
                    account: { type: 'string' },
                    label: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: { 201: { description: '{token, id, role, account, label}' } },
        },
      },
      '/api/tokens/{id}': {
        delete: {
          summary: 'Revoke a token (admin)',
          security: [{ bearer: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: { description: '{revoked}' }, 404: errorResponse('no live token') },
        },
      },
      '/api/audit': {
        get: {
          summary: 'Who read which report (admin)',
          security: [{ bearer: [] }],
          parameters: [q('limit', false, '1-10000')],
          responses: { 200: { description: '{audit}' } },
        },
      },
      '/api/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
    },
    components: {
      schemas: {
        Error: error,
        Candidate: candidate,
        CodeResult: codeResult,
        SearchResult: searchResult,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  }
}
