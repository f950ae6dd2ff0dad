/**
 * The real page in Debian's Chromium through playwright-core, against the real server on a loopback
 * port. Screenshots go to bench/out/screenshots/. Needs chromium (.ci/run installs it; CHROMIUM_PATH
 * overrides /usr/bin/chromium).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Browser, chromium, type Page } from 'playwright-core'
import { buildWeb } from '../scripts/build-web.ts'
import { type RunningServer, startServer } from '../src/server/main.ts'
import { openSqliteStore } from '../src/store/sqlite.ts'
import { hashToken } from '../src/store/tokens.ts'
import { BUILD_DIR, coder } from './helpers.ts'

const ANALYST = 'soc_browser-test-analyst'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = join(import.meta.dirname, '..', 'bench', 'out', 'screenshots')

describe('web app in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  const requests: string[] = []
  const errors: string[] = []
  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`,
    )
    coder() // builds the reference data once
    const webRoot = await buildWeb(mkdtempSync(join(tmpdir(), 'soc-web-')))
    // a store with a quarter of records and an analyst's token
    const db = join(mkdtempSync(join(tmpdir(), 'soc-web-db-')), 'soc.db')
    const store = openSqliteStore(db)
    const codes = ['51-3022.05', '29-1141', '35-2014', '53-7062', '11-1021', '41-2031']
    for (let e = 1; e <= 24; e++)
      await store.ingest({
        account: String(1000 + e),
        quarter: 20241,
        fileHash: `web-${e}`,
        fileName: `${1000 + e}.csv`,
        rows: 10,
        records: Array.from({ length: 10 }, (_, i) => ({
          person: e * 100 + i,
          code: codes[(e + i) % codes.length] as string,
          area: String(1 + (e % 4)).padStart(2, '0'),
          cents: 500_000 + e * 1000 + i * 37_000,
        })),
        errors: 0,
        warnings: 0,
        forced: false,
        actor: 'test',
      })
    await store.createToken(hashToken(ANALYST), 'analyst', null, 'browser test')
    await store.close()
    server = await startServer({
      store: db,
      buildDir: BUILD_DIR,
      port: 0,
      host: '127.0.0.1',
      webRoot,
      rateLimit: 0,
      log: () => {},
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    page.on('request', (r) => requests.push(r.url()))
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    mkdirSync(SHOTS, { recursive: true })
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('suggests 51-3022.05 among the first suggestions for "seafood processor", keyboard first', async () => {
    await page.goto(`${server.url}/`)
    await page.getByLabel('Job title').focus()
    await page.keyboard.type('seafood processor')
    const options = page.getByRole('option')
    await options.first().waitFor()
    const codes = await page.locator('[role=option] .code').allTextContents()
    assert.ok(codes.slice(0, 3).includes('51-3022.05'), codes.join(', '))
    await page.keyboard.press('ArrowDown')
    assert.equal(await options.first().getAttribute('aria-selected'), 'true')
    await page.screenshot({ path: join(SHOTS, 'search.png') })
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/code\//)
  })

  it("ranks by the employer's industry when one is given, and says when it is not a NAICS code", async () => {
    await page.goto(`${server.url}/`)
    const firstCode = () => page.locator('[role=option] .code').first().textContent()
    const searched = (industry: string) =>
      page.waitForResponse(
        (r) => r.url().includes('/api/search') && r.url().includes(`industry=${industry}`),
      )
    await page.getByLabel('Job title').fill('crew member')
    let done = searched('561730')
    await page.getByLabel('Industry (NAICS code)').fill('561730')
    await done
    await page.locator('[role=option]').first().waitFor()
    assert.equal(await firstCode(), '37-3011')
    await page.getByText('Industry 561730: Landscaping Services').waitFor()
    done = searched('561720')
    await page.getByLabel('Industry (NAICS code)').fill('561720')
    await done
    await page.waitForFunction(
      "document.querySelector('[role=option] .code')?.textContent === '37-2011'",
    )
    await page.screenshot({ path: join(SHOTS, 'search-industry.png') })
    await page.getByLabel('Industry (NAICS code)').fill('56x')
    await page.getByText('"56x" is not a NAICS code').waitFor()
    assert.equal(
      await page.getByLabel('Industry (NAICS code)').getAttribute('aria-invalid'),
      'true',
    )
  })

  it('ranks by the duties when they are described', async () => {
    await page.goto(`${server.url}/`)
    await page.getByLabel('Job title').fill('operator')
    await page.locator('[role=option]').first().waitFor()
    await page.getByText('Describe the duties (optional)').click()
    const done = page.waitForResponse(
      (r) => r.url().includes('/api/search') && r.url().includes('duties=drives+a+forklift'),
    )
    await page.getByLabel('What does the worker do?').fill('drives a forklift to move pallets')
    await done
    await page.waitForFunction(
      "document.querySelector('[role=option] .code')?.textContent === '53-7051'",
    )
    await page.screenshot({ path: join(SHOTS, 'search-duties.png') })
  })

  it("shows the coder's notes: a code written in the title that its words do not support", async () => {
    await page.goto(`${server.url}/`)
    await page.getByLabel('Job title').fill('Cook (29-1141)')
    await page.locator('.coder-notes').waitFor()
    const notes = (await page.locator('.coder-notes').textContent()) ?? ''
    assert.match(notes, /names SOC code 29-1141, but its words suggest 35-20\d\d/)
    assert.equal(await page.locator('[role=option] .code').first().textContent(), '29-1141')
  })

  it("shows the Management group with 11-1021.51 and the state's description", async () => {
    await page.goto(`${server.url}/`)
    await page.getByLabel('Major group', { exact: true }).selectOption('11-0000')
    await page.waitForURL(/#\/group\/11-0000/)
    const entry = page.locator('#e-11-1021\\.51')
    await entry.waitFor()
    const text = await entry.textContent()
    assert.match(text ?? '', /Small Business/)
    assert.match(text ?? '', /less than 30 workers/)
    assert.match(text ?? '', /Alaska code/)
    await page.screenshot({ path: join(SHOTS, 'group-11-0000.png') })
  })

  it('opens a code page from its permalink, with breadcrumb and the copy button', async () => {
    await page.goto(`${server.url}/#/code/51-3022.05`)
    await page.locator('h1 .code').waitFor()
    assert.equal(await page.locator('h1 .code').textContent(), '51-3022.05')
    const crumbs = await page.locator('.breadcrumb li').allTextContents()
    assert.deepEqual(
      crumbs.map((c) => c.split(' ')[0]),
      ['51-0000', '51-3000', '51-3020', '51-3022', '51-3022.05'],
    )
    assert.ok(await page.getByRole('button', { name: 'Copy code' }).isVisible())
    await page.screenshot({ path: join(SHOTS, 'code-51-3022.05.png'), fullPage: true })
  })

  it('decides a two-activity job with the rules helper', async () => {
    await page.goto(`${server.url}/#/rules`)
    await page.getByLabel('Activity 1').fill('29-1141')
    await page.getByLabel('Share of time (%)').first().fill('20')
    await page.getByLabel('Activity 2').fill('Receptionist')
    await page.getByLabel('Share of time (%)').nth(1).fill('80')
    await page.getByRole('button', { name: 'Decide the code' }).first().click()
    const decision = page.locator('.decision').first()
    await decision.waitFor()
    const text = (await decision.textContent()) ?? ''
    assert.match(text, /Report 29-1141/)
    assert.match(text, /more education/)
    await page.screenshot({ path: join(SHOTS, 'rules.png'), fullPage: true })
  })

  it('checks an uploaded wage file, groups the issues, and downloads the corrected file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-upload-'))
    const file = join(dir, 'wages.csv')
    writeFileSync(
      file,
      'SSN,Last Name,First Name,Job Title,Occupation Code,Wages,Area Code\n' +
        '774-01-0001,Smith,Ann,Registered Nurse,29-1141,1000.00,01\n' +
        '775-01-0001,Olsen,Bo,Seafood Processor,,2000.00,02\n' +
        '776-01-0001,Kim,Lee,Cashier,41-2011,-5,03\n',
    )
    await page.goto(`${server.url}/#/report`)
    await page.getByLabel('Wage file').setInputFiles(file)
    await page.getByRole('button', { name: 'Check the file' }).click()
    await page.locator('.issue-group').first().waitFor()
    const groups = await page.locator('.issue-group summary').allTextContents()
    assert.ok(
      groups.some((g) => g.startsWith('Occupation code missing (1)')),
      groups.join(' | '),
    )
    assert.ok(
      groups.some((g) => g.startsWith('Zero or negative wages (1)')),
      groups.join(' | '),
    )
    assert.equal(await page.locator('#code-3').inputValue(), '51-3022.05')
    const body = (await page.locator('main').textContent()) ?? ''
    assert.ok(!body.includes('775-01-0001'), 'no SSN in full on the page')
    await page.getByRole('button', { name: 'Prepare the corrected file' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('Download the corrected file').click(),
    ])
    const text = readFileSync((await download.path()) as string, 'utf8')
    assert.deepEqual(text.trim().split('\n'), [
      '774010001,Smith,Ann,1000.00,29-1141,01',
      '775010001,Olsen,Bo,2000.00,51-3022.05,02',
      '776010001,Kim,Lee,-5,41-2011,03',
    ])
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true })
  })

  it('codes a pasted list of titles, takes another candidate for one, and downloads the CSV', async () => {
    await page.goto(`${server.url}/#/titles`)
    await page
      .getByLabel('Job titles, one a line')
      .fill('Slime line worker\n\nCook\nqzxv wqpt\n=HYPERLINK(x) Baker\n')
    await page.getByRole('button', { name: 'Code the titles' }).click()
    await page.locator('table.batch tbody tr').first().waitFor()
    const summary = (await page.locator('#batch-summary').textContent()) ?? ''
    assert.match(summary, /^4 titles: /, 'the blank line is left out')
    assert.equal(await page.getByLabel('Code for row 1').inputValue(), '51-3022.05')
    const options = await page.getByLabel('Code for row 2').locator('option').allTextContents()
    assert.ok(options.length >= 2, options.join(' | '))
    const second = (options[1] as string).split(' ')[0] as string
    await page.getByLabel('Code for row 2').selectOption(second)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as CSV' }).click(),
    ])
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split(/\r?\n/)
    assert.equal(lines[0], 'row,title,industry,soc_code,soc_title,confidence,status')
    assert.match(lines[1] ?? '', /^1,Slime line worker,,51-3022\.05,.*,coded$/)
    assert.match(lines[2] ?? '', new RegExp(`^2,Cook,,${second.replace('.', '\\.')},.*,chosen$`))
    assert.equal(lines[3], '3,qzxv wqpt,,,,,uncodable')
    // a title a spreadsheet would run as a formula is written as text
    assert.match(lines[4] ?? '', /^4,'=HYPERLINK\(x\) Baker,/)
    // the titles to review alone: all but the slime line worker
    await page.getByLabel('Only the titles to review').check()
    assert.equal(await page.locator('table.batch tbody tr').count(), 3)
    await page.screenshot({ path: join(SHOTS, 'titles.png'), fullPage: true })
  })

  it('signs in with a token and shows occupations with a chart, suppression and a CSV download', async () => {
    await page.goto(`${server.url}/#/stats`)
    await page.getByLabel('Access token').fill(ANALYST)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const occupations = page.locator('#panel-occupations')
    await occupations.getByLabel(/Period/).selectOption('2024Q1')
    await occupations.getByLabel(/Level/).selectOption('detailed')
    await page.getByRole('button', { name: 'Show' }).click()
    const total = page.locator('table.stats tr.total')
    await total.waitFor()
    assert.match((await total.textContent()) ?? '', /All occupations240/)
    assert.equal((await page.locator('svg.chart rect.chart-bar').count()) > 0, true)
    assert.match((await page.locator('.note').textContent()) ?? '', /cannot be derived/)
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    assert.equal(dl.suggestedFilename(), 'occupations-2024Q1.csv')
    // program outcomes: an upload, its table, and its CSV
    const participants = join(mkdtempSync(join(tmpdir(), 'soc-web-p-')), 'participants.csv')
    writeFileSync(participants, 'ssn,cip,exit_date\n773-01-0001,51.3902,2023Q4\n')
    await page.getByRole('tab', { name: 'Program outcomes' }).click()
    await page.setInputFiles('#participants-file', participants)
    await page.getByRole('button', { name: 'Show' }).click()
    await page.locator('article.program').first().waitFor()
    const [pdl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    assert.equal(pdl.suggestedFilename(), 'programs.csv')
    await page.getByRole('tab', { name: 'Occupations' }).click()
    // the table shown before is still there on coming back to its tab
    assert.match((await total.textContent()) ?? '', /All occupations240/)
    assert.equal(await occupations.getByLabel(/Level/).inputValue(), 'detailed')
    await page.screenshot({ path: join(SHOTS, 'stats-occupations.png'), fullPage: true })
    // a wrong token goes back to the sign-in form
    await page.evaluate("sessionStorage.setItem('soc-token', 'soc_wrong')")
    await page.reload()
    await page.getByLabel('Access token').waitFor()
    // the browser logs that refused request; nothing else may have failed
    const refused = errors.filter((e) => e.includes('401'))
    assert.equal(refused.length, 1)
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('401')))
  })

  it('has no accessibility violations on any page (axe-core), the statistics signed in too', async () => {
    // axe is injected as a script: this context alone lets it past the page's CSP
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1100, height: 900 },
    })
    const a11y = await context.newPage()
    const axe = readFileSync(
      join(import.meta.dirname, '..', 'node_modules', 'axe-core', 'axe.min.js'),
      'utf8',
    )
    const pages: [string, string][] = [
      ['#/', 'Job title'],
      ['#/group/11-0000', '11-1021.51'],
      ['#/code/51-3022.05', '51-3022.05'],
      ['#/rules', 'Coding rules'],
      ['#/report', 'wage file'],
      ['#/titles', 'Code a list of job titles'],
      ['#/stats', 'Access token'],
    ]
    const found: string[] = []
    for (const [hash, text] of [...pages, ['#/stats', 'signed-in'] as [string, string]]) {
      await a11y.goto(`${server.url}/${hash}`)
      if (text === 'signed-in') {
        await a11y.getByLabel('Access token').fill(ANALYST)
        await a11y.getByRole('button', { name: 'Sign in' }).click()
        await a11y.getByRole('button', { name: 'Show' }).click()
        await a11y.locator('table.stats').waitFor()
      } else await a11y.getByText(text).first().waitFor()
      await a11y.addScriptTag({ content: axe })
      const result = (await a11y.evaluate(
        "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))",
      )) as { id: string; impact: string; nodes: number }[]
      for (const v of result)
        if (v.impact === 'serious' || v.impact === 'critical')
          found.push(`${hash} ${v.id} (${v.impact}, ${v.nodes})`)
    }
    await context.close()
    assert.deepEqual(found, [])
  })

  it('works at phone width and asks no other host', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    await page.goto(`${server.url}/#/code/11-1021.51`)
    await page.locator('h1 .code').waitFor()
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth > window.innerWidth + 1',
    )
    assert.equal(overflow, false, 'no horizontal scrolling at 375 px')
    await page.screenshot({ path: join(SHOTS, 'phone-code.png'), fullPage: true })
    // the search page, its two fields stacked
    await page.goto(`${server.url}/`)
    await page.getByLabel('Job title').fill('seafood processor')
    await page.getByLabel('Industry (NAICS code)').fill('311710')
    await page.locator('[role=option]').first().waitFor()
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1'),
      false,
      'no horizontal scrolling on the search page at 375 px',
    )
    await page.screenshot({ path: join(SHOTS, 'phone-search.png') })
    // a coded list of titles: each row a card
    await page.goto(`${server.url}/#/titles`)
    await page.getByLabel('Job titles, one a line').fill('Office Assistant II\nDeckhand')
    await page.getByRole('button', { name: 'Code the titles' }).click()
    await page.locator('table.batch tbody tr').first().waitFor()
    assert.equal(
      await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1'),
      false,
      'no horizontal scrolling on the list of titles at 375 px',
    )
    await page.screenshot({ path: join(SHOTS, 'phone-titles.png'), fullPage: true })
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'))
    assert.deepEqual(foreign, [])
    assert.deepEqual(errors, [])
  })
})
