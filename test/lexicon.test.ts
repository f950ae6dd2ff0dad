/** The lexicon (data/lexicon.json) and the normaliser that applies it. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Lexicon } from '../src/core/coder/normalize.ts'
import {
  createLexicon,
  LEXICON_MAPS,
  normalizeTitle,
  repairMojibake,
  singularize,
} from '../src/core/coder/normalize.ts'
import { DataError } from '../src/core/errors.ts'
import { PROJECT_DATA_DIR } from '../src/data/paths.ts'

const RAW = JSON.parse(readFileSync(join(PROJECT_DATA_DIR, 'lexicon.json'), 'utf8')) as Record<
  string,
  unknown
>
const LEX: Lexicon = createLexicon(RAW)
const tokens = (t: string) => normalizeTitle(t, LEX).tokens

describe('lexicon data', () => {
  it('is well formed: lower-case keys and values, no word both a status and a level word', () => {
    // entity values are characters such as "&", not words
    for (const key of LEXICON_MAPS.filter((k) => k !== 'entities')) {
      for (const [k, v] of Object.entries(RAW[key] as Record<string, string>)) {
        if (k.startsWith('$')) continue // a comment
        assert.equal(k, k.toLowerCase(), `${key}.${k}`)
        assert.equal(v, v.toLowerCase(), `${key}.${k}`)
        assert.notEqual(v.trim(), '', `${key}.${k} is empty`)
      }
    }
    for (const w of LEX.statusWords)
      assert.ok(!LEX.levelWords.has(w), `${w} is both a status and a level word`)
    for (const w of LEX.levelNouns) assert.ok(LEX.levelWords.has(w), `${w} is not a level word`)
  })
  it('rejects a lexicon of the wrong shape with a message naming the field', () => {
    assert.throws(
      () => createLexicon({ ...RAW, abbreviations: ['mgr'] }),
      (e: Error) => e instanceof DataError && /abbreviations/.test(e.message),
    )
    assert.throws(() => createLexicon({ ...RAW, stopWords: 'and' }), /stopWords/)
    assert.throws(() => createLexicon(null), DataError)
  })
})

describe('normalizeTitle', () => {
  it('folds case, punctuation, accents and HTML entities', () => {
    assert.deepEqual(tokens('COOK'), tokens('cook'))
    assert.deepEqual(tokens('Outdoor D&eacute;cor Installer'), tokens('outdoor decor installer'))
    assert.deepEqual(tokens('Food &amp; Beverage Server'), tokens('Food and Beverage Server'))
    assert.deepEqual(tokens('&quot;Lead&quot; Cook'), tokens('Lead Cook'))
  })
  it('expands abbreviations', () => {
    assert.deepEqual(tokens('Sales Mgr'), tokens('Sales Manager'))
    assert.deepEqual(tokens('Asst. Mgr.'), tokens('Assistant Manager'))
    assert.deepEqual(tokens('RN'), ['registered', 'nurse'])
    assert.deepEqual(tokens('HVAC Tech'), tokens('HVAC Technician'))
    assert.deepEqual(tokens('Maint Supv'), tokens('Maintenance Supervisor'))
    // Alaska's Department of Fish and Game
    assert.deepEqual(tokens('ADF&G Technician'), tokens('Fish and Game Technician'))
    assert.deepEqual(tokens('ADFG Technician'), tokens('Fish and Game Technician'))
    assert.deepEqual(tokens('EVS Worker'), tokens('Environmental Services Worker'))
    assert.deepEqual(tokens('AGM'), tokens('Assistant General Manager'))
    // payroll shorthand: heavy duty (Alaska's HD mechanics), housekeeping, receiving, teacher ...
    assert.deepEqual(tokens('HD Mechanic'), tokens('Heavy Duty Mechanic'))
    assert.deepEqual(tokens('Hskpg Supv'), tokens('Housekeeping Supervisor'))
    assert.deepEqual(tokens('Rcvg Clerk'), tokens('Receiving Clerk'))
    assert.deepEqual(tokens('Psych Tech'), tokens('Psychiatric Technician'))
    assert.deepEqual(tokens('Elem Tchr'), tokens('Elementary Teacher'))
    assert.deepEqual(tokens('Dlvry Driver'), tokens('Delivery Driver'))
  })

  it('reads plural abbreviations and acronyms as their singular', () => {
    assert.deepEqual(tokens('RNs'), tokens('Registered Nurse'))
    assert.deepEqual(tokens('CNAs'), tokens('Nursing Assistant'))
    assert.deepEqual(tokens('Asst Mgrs'), tokens('Assistant Manager'))
    assert.deepEqual(tokens('Restaurant Crew Members'), tokens('Restaurant Crew Member'))
    // only an acronym in capitals: "Bus" and "Gas" stay
    assert.deepEqual(tokens('Gas Station Attendant'), ['gas', 'station', 'attendant'])
  })

  it('reads "w/" as with and "w/o" as without: no second job, and the head comes before', () => {
    const n = normalizeTitle('Cook w/ Experience', LEX)
    assert.deepEqual(n.parts, [])
    assert.deepEqual(n.heads, ['cook'])
    assert.deepEqual(normalizeTitle('Brush Clearer w/Supervisory Duties', LEX).heads, ['clearer'])
    assert.deepEqual(normalizeTitle('Driver w/o CDL', LEX).parts, [])
    // an ordinary slash still joins two jobs
    assert.equal(normalizeTitle('Server/Bartender', LEX).parts.length, 2)
  })

  it("reads the State of Alaska's trade levels (Journey, Sub-Journey) as level words", () => {
    const n = normalizeTitle('Equipment Operator Journey II', LEX)
    assert.equal(n.roles[n.tokens.indexOf('journey')], 'level')
    assert.deepEqual(n.heads, ['operator'])
    assert.equal(normalizeTitle('Equipment Operator Sub Journey', LEX).roles.at(-1), 'level')
  })

  it('drops a parenthesis or dash segment that only says when, where or which posting', () => {
    for (const t of [
      'Cook (Day/Night)',
      'Cook (Summer 2025)',
      'Cook - Req 1234',
      'Cook (Job Code 4711)',
    ])
      assert.deepEqual(tokens(t), ['cook'], t)
    assert.deepEqual(tokens('Cook - Immediate Opening'), ['cook'])
    assert.deepEqual(tokens('Cook (Temp to Hire)'), ['cook'])
    assert.deepEqual(tokens('Cook - $500 Sign-on Bonus'), ['cook'])
    // a range of grades is grades, and a part of grades alone no job
    assert.deepEqual(tokens('Clerk 1-3'), ['clerk'])
    assert.deepEqual(normalizeTitle('Clerk I/II', LEX).parts, [])
    assert.deepEqual(tokens('X-Ray Technician'), ['x', 'ray', 'technician'])
    // one word stays: "Auditor - Night" is a night auditor
    assert.deepEqual(tokens('Auditor - Night'), ['auditor', 'night'])
    // but a schedule in the plural, a visa, a year round or a season "only" is when the job is worked
    for (const t of [
      'Cook - Nights',
      'Cook (Days)',
      'Cook - Weekends',
      'Cook - Yr Round',
      'Cook (J-1)',
      'Cook (Summer Only)',
      // and which hire it is, or what it pays on signing
      'Cook - Rehire',
      'Returning Cook',
      'Cook (3 openings)',
      'Cook (Backfill)',
      'Cook (Bonus Eligible)',
      'Cook $1000 Sign On',
      'Cook - Various Locations',
      'Cook - Shift 2',
      'Cook (JC 1234)',
      // what the posting offers or asks
      'Cook (H-2B Visa)',
      'Cook - Airfare Paid',
      'Cook (Free Housing)',
      'Cook (Transportation Provided)',
      'Cook + Tips',
      'Cook - Pay DOE',
      'Cook - Competitive Pay',
      'Cook (Must be 18+)',
      'Cook (Alaska Resident)',
      'Cook (Non-Resident)',
      'Cook (Returning Employee)',
      // and what an advertisement says of itself
      'Cook (Bilingual Preferred)',
      'Cook - Great Benefits',
      'Cook - Start Immediately',
      'Cook - Flexible Schedule',
      'Cook (Certified)',
      'Cook - Equal Opportunity Employer',
      'Cook (Drug Free Workplace)',
      'Cook - Background Check Required',
      'Cook (Job Fair)',
      // and who is hired for a season
      'Cook - Summer Staff',
      'Cook (Seasonal Employee)',
      'Seasonal Staff - Cook',
      // and where: Alaska's parks and fishing places
      'Cook - Denali National Park',
      'Cook | Denali Park',
      'Cook (Katmai National Park)',
      'Cook - Glacier Bay',
      'Cook - Wrangell-St. Elias',
      'Cook (Egegik)',
    ])
      assert.deepEqual(tokens(t), ['cook'], t)
    assert.deepEqual(tokens('Teacher - Day Care'), ['teacher', 'day', 'care'])
    assert.deepEqual(tokens('Cook (Shift Lead)'), ['cook', 'shift', 'lead'])
    assert.deepEqual(tokens('Resident Manager'), ['resident', 'manager'])
    assert.deepEqual(tokens('Manager - Transportation'), ['manager', 'transportation'])
    assert.deepEqual(tokens('Counselor - Drug and Alcohol'), ['counselor', 'drug', 'alcohol'])
    assert.deepEqual(tokens('Certified Nursing Assistant'), ['certified', 'nursing', 'assistant'])
    assert.deepEqual(tokens('Seasonal Employee Relations Specialist'), [
      'employee',
      'relation',
      'specialist',
    ])
  })

  it('reads a gendered form with a letter left out or two swapped as its canonical form', () => {
    assert.deepEqual(tokens('Hostes'), ['host'])
    assert.deepEqual(tokens('Waitres'), ['waiter'])
    assert.deepEqual(tokens('Policwoman'), ['police', 'officer'])
    assert.deepEqual(tokens('Fishrman'), ['fisher'])
    // a real word stays itself
    assert.deepEqual(tokens('Charwoman'), ['charwoman'])
  })

  it('reads text whose UTF-8 was read as Windows-1252 or Latin-1 as UTF-8 again', () => {
    assert.equal(repairMojibake('Alba\u00c3\u00b1il'), 'Alba\u00f1il')
    assert.equal(repairMojibake('Cook \u00e2\u20ac\u201c Nights'), 'Cook \u2013 Nights')
    assert.equal(repairMojibake('Caf\u00c3\u00a9'), 'Caf\u00e9')
    // text that is no such misreading stays as it is
    assert.equal(repairMojibake('Caf\u00e9 Manager'), 'Caf\u00e9 Manager')
    assert.equal(repairMojibake('\u00c3 la carte'), '\u00c3 la carte')
    assert.deepEqual(tokens('Waiter\u00e2\u20ac\u2122s Assistant'), ['waiter', 'assistant'])
  })

  it('reads Spanish job titles as the English occupation', () => {
    assert.deepEqual(tokens('Cocinero'), ['cook'])
    assert.deepEqual(tokens('Cocineras'), ['cook'])
    assert.deepEqual(tokens('Albañil'), ['bricklayer'])
    assert.deepEqual(tokens('Trabajadores'), ['worker'])
    assert.deepEqual(tokens('Chofer de Camión'), ['truck', 'driver'])
    assert.deepEqual(tokens('Procesadores de Mariscos'), ['seafood', 'processor'])
    assert.deepEqual(normalizeTitle('Ayudante de Cocina', LEX).heads, ['helper'])
    assert.deepEqual(tokens('Ama de Llaves'), ['housekeeper'])
  })

  it('reads short forms a word alone cannot tell ("Sec Guard", "Line Ck", "Phys Therapist")', () => {
    assert.deepEqual(tokens('Sec Guard'), ['security', 'guard'])
    assert.deepEqual(tokens('Line Ck'), ['line', 'cook'])
    assert.deepEqual(tokens('Del Driver'), ['delivery', 'driver'])
    assert.deepEqual(tokens('Hm Hlth Aide'), ['home', 'health', 'aide'])
    assert.deepEqual(tokens('Phys Therapist'), ['physical', 'therapist'])
    // alone they stay as written: "Sec" may be a secretary, "Ck" a check
    assert.deepEqual(tokens('Sec'), ['sec'])
  })

  it("drops a job posting's words, alone in a parenthesis, after a dash or before a colon", () => {
    for (const t of [
      '*NEW* Cook',
      'Cook **URGENT**',
      'Cook (New)',
      'Cook - Urgent',
      'NEW - Cook',
      'URGENT: Cook',
      'Now Hiring: Cook',
      'Cook - Immediate Start',
      'Cook - Full Time Benefits',
      'Cook (2)',
    ])
      assert.deepEqual(tokens(t), ['cook'], t)
    // the title after the posting's words is the main part: its head is found as in any title
    assert.deepEqual(normalizeTitle('URGENT: Director of Nursing', LEX).heads, ['director'])
    assert.deepEqual(normalizeTitle('NEW - Operator Technician', LEX).heads, ['operator'])
    // in the main part they are words of the title
    assert.deepEqual(tokens('New Accounts Clerk'), ['new', 'account', 'clerk'])
    assert.deepEqual(tokens('Urgent Care Nurse'), ['urgent', 'care', 'nurse'])
    assert.deepEqual(tokens('Customer Service - New Accounts'), [
      'customer',
      'service',
      'new',
      'account',
    ])
    // how the job is worked or staffed, said aside, is the posting's too
    for (const t of [
      'Cook (Remote)',
      'Cook - Onsite',
      'Cook (Contract)',
      'Cook - Relief',
      'Cook - Float',
      'Cook (Bilingual)',
      'Cook Lvl 2',
      'Cook (Level II)',
      'Cook - Kodiak Plant',
      'Cook (Store 123)',
      'Cook - Dept 12',
      'Cook (Full/Part Time)',
      'Cook (M/F)',
      'Cook (Alaska)',
      // a number's marks: a grade, a count, an employer's code
      'Cook No. 2',
      'Cook ID#123',
      'Cook (x2)',
      // an employer's code for the job or the post
      'A123 Cook',
      'Cook - JC123',
      'Cook #S25',
      '0042 Cook',
      // marks and an opening parenthesis nothing closes
      'Cook\u2122',
      '(Cook',
      '((Cook))',
      // a trainee is coded with the occupation learnt
      'Cook in Training',
      'Cook-in-Training',
    ])
      assert.deepEqual(tokens(t), ['cook'], t)
    // and stays in the main part, where it may name the job
    assert.deepEqual(tokens('Relief Operator'), ['relief', 'operator'])
    assert.deepEqual(tokens('Remote Pilot'), ['remote', 'pilot'])
    // a word of when or where alone still stays, and a place of work alone, and a roman numeral
    assert.deepEqual(tokens('Auditor (Night)'), ['auditor', 'night'])
    assert.deepEqual(tokens('Manager - Store'), ['manager', 'store'])
    assert.deepEqual(tokens('Nurse (IV)'), ['nurse', 'iv'])
    assert.deepEqual(tokens('Unit Clerk'), ['unit', 'clerk'])
    // letters and a digit, or digits and a letter, are words; a number alone may start a name
    assert.deepEqual(tokens('K9 Handler'), ['canine', 'handler'])
    assert.deepEqual(tokens('CO2 Technician'), ['co2', 'technician'])
    assert.deepEqual(tokens('401k Administrator'), ['401k', 'administrator'])
    assert.deepEqual(tokens('911 Dispatcher'), ['911', 'dispatcher'])
  })

  it('reads "Consultant, Security" as a security consultant: the one word before the comma is the head', () => {
    const n = normalizeTitle('Consultant, Security', LEX)
    assert.deepEqual(n.heads, ['consultant'])
    assert.deepEqual(n.tokens, ['consultant', 'security'])
    assert.deepEqual(normalizeTitle('Cook, Lead', LEX).heads, ['cook'])
    // a list is no inversion: its last word stays the head
    assert.ok(
      normalizeTitle('Installation, Maintenance, and Repair Workers', LEX).heads.includes('worker'),
    )
  })

  it("drops a form's label before the title and parentheses around it", () => {
    assert.deepEqual(tokens('Job Title: Cook'), ['cook'])
    assert.deepEqual(tokens('Position - Cook'), ['cook'])
    assert.deepEqual(tokens('(Cook)'), ['cook'])
    assert.equal(normalizeTitle('(Cook)', LEX).roles[0], 'word')
    // a title that starts with such a word keeps it
    assert.deepEqual(tokens('Title Examiner'), ['title', 'examiner'])
    assert.deepEqual(tokens('Job Coach'), ['job', 'coach'])
  })

  it("reads 'Store 123 - Cashier' as a cashier: the employer's place, numbered, comes first", () => {
    const n = normalizeTitle('Store 123 - Cashier', LEX)
    assert.deepEqual(n.heads, ['cashier'])
    assert.equal(n.roles[n.tokens.indexOf('store')], 'paren')
    assert.ok(!n.tokens.includes('123'))
    // not a grade, nor a number that names the job, nor a dash segment of when or where
    assert.deepEqual(normalizeTitle('Cook 2 - Night', LEX).heads, ['cook'])
    assert.deepEqual(normalizeTitle('911 Dispatcher - Nights', LEX).heads, ['dispatcher'])
    assert.deepEqual(normalizeTitle('Cook 2025 - Summer', LEX).heads, ['cook'])
  })

  it('drops placeholders written where no title was filled in', () => {
    for (const t of ['None', 'Misc', 'TBD'])
      assert.deepEqual(normalizeTitle(t, LEX).dropped, [t.toLowerCase()], t)
    assert.deepEqual(tokens('Misc Laborer'), tokens('Laborer'))
  })

  it('drops apprentice and trainee: SOC codes them with the occupation they train for', () => {
    assert.deepEqual(tokens('Apprentice Electrician'), tokens('Electrician'))
    assert.deepEqual(tokens('Carpenter Apprentice'), tokens('Carpenter'))
    assert.deepEqual(tokens('Cook Trainee'), tokens('Cook'))
    // a helper is not in training for the trade: it stays
    assert.ok(tokens('Electrician Helper').includes('helper'))
  })

  it("drops Alaska's places that employers add to a title", () => {
    assert.deepEqual(tokens('Laborer - Prudhoe Bay'), tokens('Laborer'))
    assert.deepEqual(tokens('Nurse (Bethel)'), tokens('Nurse'))
    assert.deepEqual(tokens('Camp Cook, North Slope'), tokens('Camp Cook'))
    assert.deepEqual(tokens('Bus Driver - Mat-Su'), tokens('Bus Driver'))
    assert.ok(normalizeTitle('Processor - Dutch Harbor', LEX).dropped.includes('dutch-harbor'))
    // a place's word alone is still a word: a harbor master, a king salmon processor
    assert.ok(tokens('Harbor Master').includes('harbor'))
    assert.ok(tokens('King Salmon Processor').includes('salmon'))
  })

  it("reads Alaska's snowmachine as a snowmobile", () => {
    assert.deepEqual(tokens('Snowmachine Mechanic'), tokens('Snowmobile Mechanic'))
    assert.deepEqual(tokens('Snow Machine Mechanic'), tokens('Snowmobile Mechanic'))
    // compounds written apart
    assert.deepEqual(tokens('Dry Wall Hanger'), tokens('Drywall Hanger'))
    assert.deepEqual(tokens('Lock Smith'), tokens('Locksmith'))
    assert.deepEqual(tokens('Pay Roll Clerk'), tokens('Payroll Clerk'))
    assert.deepEqual(tokens('Pipe Fitters'), tokens('Pipefitter'))
    assert.deepEqual(tokens('Snowmachines'), tokens('Snowmobile'))
  })

  it('reads a capitalised acronym that is also a word only where a title starts', () => {
    assert.deepEqual(tokens('IS Manager'), tokens('Information Systems Manager'))
    assert.deepEqual(tokens('OR Nurse'), tokens('Operating Room Nurse'))
    // where it starts after status, posting, level or form words
    assert.deepEqual(tokens('Temporary OR Tech'), tokens('Operating Room Tech'))
    assert.deepEqual(tokens('*NEW* IS Manager'), tokens('IS Manager'))
    assert.deepEqual(tokens('Job Title: IS Director'), tokens('IS Director'))
    assert.deepEqual(tokens('A123 OR Tech'), tokens('OR Tech'))
    assert.ok(tokens('Senior IS Analyst').includes('information'))
    // but not after a word of the work
    assert.ok(!tokens('Seasonal Cook OR Helper').includes('operating'))
    assert.deepEqual(
      tokens('Charge Nurse (OR Nurse)'),
      tokens('Charge Nurse (Operating Room Nurse)'),
    )
    // a title in capitals, or the word in lower case or mid-title, keeps its "or"
    assert.deepEqual(tokens('COOK OR HELPER'), ['cook', 'helper'])
    assert.deepEqual(tokens('or nurse'), ['nurse'])
    assert.deepEqual(tokens('Cook OR Helper'), ['cook', 'helper'])
  })
  it('makes plurals singular without merging different words', () => {
    assert.equal(singularize('cooks', LEX), 'cook')
    assert.equal(singularize('batteries', LEX), 'battery')
    assert.equal(singularize('boxes', LEX), 'box')
    assert.equal(singularize('glasses', LEX), 'glass')
    assert.equal(singularize('sales', LEX), 'sales')
    assert.equal(singularize('business', LEX), 'business')
    assert.notDeepEqual(tokens('Manager'), tokens('Management'))
    assert.deepEqual(tokens('Waiters'), tokens('Waiter'))
  })
  it('reads a level word that ends a title after a plain word as the occupation', () => {
    const n = normalizeTitle('Assistant Principal', LEX)
    // (a principal as a head is a school principal: the head form adds "school")
    assert.deepEqual(n.tokens, ['assistant', 'principal', 'school'])
    assert.deepEqual(n.roles, ['word', 'word', 'word'])
    assert.deepEqual(n.heads, ['principal'])
    assert.deepEqual(normalizeTitle('Team Lead', LEX).heads, ['lead'])
    // before a word, or after level words only, it stays a level
    assert.deepEqual(normalizeTitle('Principal Engineer', LEX).roles, ['level', 'word'])
    assert.deepEqual(normalizeTitle('Senior Lead', LEX).roles, ['level', 'level'])
    assert.deepEqual(normalizeTitle('Electrician Apprentice', LEX).heads, ['electrician'])
  })
  it('reads AP before a clerical job as accounts payable', () => {
    assert.deepEqual(tokens('AP Clerk'), tokens('Accounts Payable Clerk'))
    assert.deepEqual(tokens('A/P Clerk'), tokens('Accounts Payable Clerk'))
  })
  it('reads a plural in -men as the singular in -man, but keeps singular words in -men', () => {
    assert.deepEqual(tokens('Cameramen'), tokens('Cameraman'))
    assert.deepEqual(tokens('Linemen'), tokens('Lineman'))
    assert.deepEqual(tokens('Seamen'), ['seaman'])
    assert.deepEqual(tokens('Specimen Processor'), ['specimen', 'processor'])
  })
  it('maps gendered forms to one word', () => {
    assert.deepEqual(tokens('Fisherman'), ['fisher'])
    assert.deepEqual(tokens('Fishermen'), ['fisher'])
    assert.deepEqual(tokens('Waitress'), tokens('Waiter'))
    assert.deepEqual(tokens('Salesperson'), tokens('Salesman'))
  })
  it('drops status words and grades, and weights level words less', () => {
    const n = normalizeTitle('Seasonal Part-time Cook II', LEX)
    assert.deepEqual(n.tokens, ['cook'])
    assert.ok(
      ['seasonal', 'part-time', 'ii'].every((w) => n.dropped.includes(w)),
      n.dropped.join(),
    )
    // a grade (a number, a roman numeral) says nothing of the occupation: "Cook 2" is a cook
    assert.deepEqual(normalizeTitle('Driver 10', LEX).heads, ['driver'])
    assert.deepEqual(tokens('Line Cook III'), tokens('Line Cook'))
    // ... unless it is all the title has, a piece of a word ("X-Ray"), or before a word
    assert.deepEqual(tokens('II'), ['ii'])
    assert.deepEqual(tokens('911 Dispatcher'), ['911', 'dispatcher'])
    assert.deepEqual(tokens('Cook II Supervisor'), ['cook', 'ii', 'supervisor'])
    assert.deepEqual(tokens('X-Ray Technician'), ['x', 'ray', 'technician'])
    assert.deepEqual(normalizeTitle('Sr. Accountant', LEX).roles, ['level', 'word'])
    // when the work is done is not what it is: shifts go, a shift supervisor stays one
    assert.deepEqual(tokens('Registered Nurse - Night Shift'), tokens('Registered Nurse'))
    assert.deepEqual(tokens('Cook, Day Shifts'), ['cook'])
    assert.deepEqual(tokens('Shift Supervisor'), ['shift', 'supervisor'])
    // nor are pay, hours and dates: and their slash is no second job
    for (const t of ['Cook $15/hr', 'Cook - $18.50 an hour', 'Cook, 40 hrs/wk', 'Cook (May-Sept)'])
      assert.deepEqual(normalizeTitle(t, LEX).tokens, ['cook'], t)
    assert.deepEqual(normalizeTitle('Cook 15/hr', LEX).parts, [])
    // a vessel: "F/V" is a fishing vessel, not two jobs
    assert.deepEqual(tokens('Deckhand F/V Northern Light').slice(0, 3), [
      'deckhand',
      'fishing',
      'vessel',
    ])
  })
  it('finds the head noun through word order, "of" and leading helpers', () => {
    assert.ok(normalizeTitle('Manager, Sales', LEX).heads.includes('manager'))
    assert.ok(normalizeTitle('Director of Nursing', LEX).heads.includes('director'))
    assert.ok(normalizeTitle('Helpers--Carpenters', LEX).heads.includes('helper'))
    assert.ok(normalizeTitle('Roofing Laborer', LEX).heads.includes('laborer'))
    assert.ok(normalizeTitle('Farm Labor', LEX).heads.includes('laborer'))
  })
  it('reads whom a job serves ("to the CEO") as a qualifier, not as the job', () => {
    const n = normalizeTitle('Executive Assistant to the CEO', LEX)
    assert.deepEqual(n.heads, ['assistant'])
    assert.equal(n.roles[n.tokens.indexOf('ceo')], 'paren')
    assert.equal(n.roles[n.tokens.indexOf('assistant')], 'word')
    // only after a noun that serves someone: the "to" of "Back to School" or "Ready-to-Wear" is
    // part of a name
    const r = normalizeTitle('Ready-to-Wear Buyer', LEX)
    assert.deepEqual(r.heads, ['buyer'])
    assert.equal(r.roles[r.tokens.indexOf('wear')], 'word')
    const b = normalizeTitle('Back to School Coordinator', LEX)
    assert.deepEqual(b.heads, ['coordinator'])
    assert.equal(b.roles[b.tokens.indexOf('school')], 'word')
  })
  it('splits a title that joins two jobs', () => {
    const n = normalizeTitle('Cook/Dishwasher', LEX)
    assert.equal(n.parts.length, 2)
    assert.deepEqual(
      n.parts.map((p) => p.tokens),
      [['cook'], ['dishwasher']],
    )
    assert.equal(normalizeTitle('Cook', LEX).parts.length, 0)
  })
  it('keeps a slash or "or" inside parentheses within the one job', () => {
    const w = normalizeTitle('Pipefitter-Welder (Field/Remote)', LEX)
    assert.deepEqual(w.parts, [])
    assert.deepEqual(w.heads, ['welder'])
    assert.deepEqual(normalizeTitle('Cook (Day or Night)', LEX).parts, [])
    assert.deepEqual(
      normalizeTitle('Cook (Grill/Prep) / Dishwasher', LEX).parts.map((p) => p.tokens),
      [['cook', 'grill', 'prep'], ['dishwasher']],
    )
  })
  it("reads a bare modifier before a slash as standing in for the next part's first word", () => {
    assert.deepEqual(
      normalizeTitle('Pool/Spa Service Technician', LEX).parts.map((p) => p.tokens),
      [
        ['pool', 'service', 'technician'],
        ['spa', 'service', 'technician'],
      ],
    )
    assert.deepEqual(
      normalizeTitle('Meat/Seafood Counter Clerk', LEX).parts.map((p) => p.tokens),
      [
        ['meat', 'counter', 'clerk'],
        ['seafood', 'counter', 'clerk'],
      ],
    )
    assert.deepEqual(
      normalizeTitle('Bakery/Produce Clerk', LEX).parts.map((p) => p.tokens),
      [
        ['bakery', 'clerk'],
        ['produce', 'clerk'],
      ],
    )
  })
  it('leaves out what an official title excludes', () => {
    assert.deepEqual(tokens('Janitors and Cleaners, Except Maids and Housekeeping Cleaners'), [
      'janitor',
      'cleaner',
    ])
    // also cut short by a field's length
    assert.deepEqual(tokens('Janitors and Cleaners, Exc'), ['janitor', 'cleaner'])
    assert.deepEqual(tokens('Religious Workers, All Ot'), tokens('Religious Workers'))
  })
  it('never throws and always returns distinct tokens', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const n = normalizeTitle(s, LEX)
        assert.equal(new Set(n.tokens).size, n.tokens.length)
        assert.equal(n.tokens.length, n.roles.length)
      }),
      { numRuns: 1000 },
    )
  })
})
