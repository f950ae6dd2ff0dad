/** The state's coding rules, in our own words. */
export type CodingRule = { readonly id: string; readonly title: string; readonly text: string }

export const CODING_RULES: readonly CodingRule[] = [
  {
    id: 'work-performed',
    title: 'Code the work actually done',
    text: 'Choose the code for what the employee actually does, not for what they were trained or hired to do: a trained computer scientist who mainly manages is coded as a manager.',
  },
  {
    id: 'two-activities',
    title: 'Two activities: higher skill first, then more time',
    text: 'When one job mixes two different activities, report the activity that needs the higher skill or education; if both need the same level, report the one that takes most of the time.',
  },
  {
    id: 'last-job',
    title: 'Changed jobs: the last one',
    text: 'An employee who changed jobs during the quarter is reported in the occupation held at the end of the quarter.',
  },
  {
    id: 'supervisors',
    title: 'Supervisors: 20% / 80%',
    text: 'A supervisor who spends 20% or more of the time doing the same work as the staff is coded with that staff; one who spends more than 80% of the time supervising gets the supervisory code.',
  },
  {
    id: 'consultants',
    title: 'Consultants by what they practise',
    text: 'Consultants are coded by the occupation they practise (an engineering consultant is an engineer).',
  },
  {
    id: 'six-digits',
    title: 'Six digits, or the state extension',
    text: "Report a detailed six-digit SOC 2018 code, or the Alaska extension (such as 51-3022.05 for seafood processing workers) where the state defines one; never a group code, a SOC 2010 code or the business's NAICS industry code.",
  },
]
