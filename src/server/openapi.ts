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
                'application/json': { schema: { $ref: '#/components/schemas/CodeResult' } },
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
            'Code a batch of up to 10,000 titles: a JSON array, JSONL, or CSV with a title column',
          parameters: [
            {
              name: 'k',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
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
      '/api/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
    },
    components: { schemas: { Error: error, Candidate: candidate, CodeResult: codeResult } },
  }
}
