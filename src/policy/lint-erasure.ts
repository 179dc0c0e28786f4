/**
 * Rules on what a purpose says about erasure: an Art. 17(3) exemption names its ground, the
 * ground fits the purpose's legal basis, a purpose on a legal obligation states its exemption,
 * and each erasure condition waits for declared events or a declared system and explains itself
 * in every declared language. The condition's collection and field are checked against the
 * system's dataset by the dataset lint (`src/connectors/lint-dataset.ts`).
 */
import { basisEntries } from './describe.js';
import { lifecycleEvent } from './lifecycle.js';
import type { LintCode } from './lint.js';
import type { Declaration, ErasureGround, LegalBasis, LocalText } from './schema.js';
import { erasureGrounds } from './schema.js';

type PathPart = string | number;
type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

/** The legal bases each Art. 17(3) ground can go with: consent and contract fit none. */
export const groundBases: Readonly<Record<ErasureGround, readonly LegalBasis[]>> = {
  freedom_of_expression: ['legitimate_interests', 'public_task'],
  legal_obligation: ['legal_obligation'],
  public_task: ['public_task'],
  public_health: ['public_task', 'legal_obligation'],
  archiving_research: ['public_task', 'legitimate_interests', 'legal_obligation'],
  legal_claims: ['legitimate_interests', 'legal_obligation'],
};

/** The grounds that fit a basis. */
const groundsFor = (basis: LegalBasis) => erasureGrounds.filter((g) => groundBases[g].includes(basis));

/** The declared languages a text lacks (a plain string counts for the first language only). */
export function languagesMissing(text: LocalText | undefined, languages: readonly string[]): string[] {
  if (text === undefined) return [...languages];
  if (typeof text === 'string') return languages.slice(1);
  return languages.filter((l) => !(l in text));
}

export function checkErasure(d: Declaration, error: Report, warn: Report): void {
  const systems = d.systems.map((s) => s.id);
  d.purposes.forEach((p, i) => {
    const at = (...rest: PathPart[]): PathPart[] => ['purposes', i, 'erasure', ...rest];
    const bases = basisEntries(p);
    const exempt = p.erasure?.exempt;
    if (exempt !== undefined) {
      if (exempt.ground === undefined)
        error(
          'erasure.exempt_without_ground',
          at('exempt'),
          `purpose "${p.id}" is exempt from erasure without naming its Art. 17(3) ground`,
          `Add ground: one of ${erasureGrounds.join(', ')}${bases.length === 0 ? '' : ` (for ${bases.map((b) => b.basis).join(', ')}: ${[...new Set(bases.flatMap((b) => groundsFor(b.basis)))].join(', ') || 'none fits'})`}.`,
        );
      else
        for (const entry of bases)
          if (!groundBases[exempt.ground].includes(entry.basis))
            error(
              'erasure.ground_mismatch',
              at('exempt', 'ground'),
              `purpose "${p.id}" is exempt from erasure on the ground ${exempt.ground}, which does not fit its legal basis ${entry.basis}${entry.jurisdiction === 'default' ? '' : ` in ${entry.jurisdiction}`}`,
              groundsFor(entry.basis).length === 0
                ? `Data on ${entry.basis} has no Art. 17(3) ground to stay: remove the exemption${entry.basis === 'contract' ? ', or say when erasure waits under erasure.conditions (an open order)' : ''}, or keep the data for a purpose that has one.`
                : `On ${entry.basis} the grounds that fit are ${groundsFor(entry.basis).join(', ')}; ${exempt.ground} needs ${groundBases[exempt.ground].join(' or ')}.`,
            );
      if (languagesMissing(exempt.reason, d.languages).length === d.languages.length)
        warn(
          'erasure.exempt_without_reason',
          at('exempt'),
          `purpose "${p.id}" is exempt from erasure without saying why`,
          'Add reason: the requester is told it when their data stays.',
        );
    } else if (bases.some((b) => b.basis === 'legal_obligation'))
      warn(
        'erasure.obligation_not_exempt',
        ['purposes', i, 'legalBasis'],
        `purpose "${p.id}" rests on a legal obligation but does not state whether its data is exempt from erasure; Steward keeps it as if it said ground: legal_obligation`,
        'Add erasure: { exempt: { ground: legal_obligation, reason: … } }.',
      );

    (p.erasure?.conditions ?? []).forEach((c, j) => {
      const where = (...rest: PathPart[]) => at('conditions', j, ...rest);
      const w = c.while;
      if ('event' in w)
        for (const [key, event] of [
          ['event', w.event],
          ['until', w.until],
        ] as const)
          if (event !== undefined && lifecycleEvent(d, event) === undefined)
            error(
              'erasure.condition_event_unknown',
              where('while', key),
              `erasure condition "${c.id}" of purpose "${p.id}" waits for lifecycle event "${event}", which is not declared`,
              `Declare it under lifecycleEvents, or use one of: ${[...d.lifecycleEvents.map((e) => e.id), 'contract_end', 'account_closed'].join(', ')}.`,
            );
      if ('system' in w && !systems.includes(w.system))
        error(
          'erasure.condition_system_unknown',
          where('while', 'system'),
          `erasure condition "${c.id}" of purpose "${p.id}" reads system "${w.system}", which is not declared`,
          `Use one of the declared systems (${systems.join(', ') || 'none declared'}), or declare it under systems.`,
        );
      const missing = languagesMissing(c.explanation, d.languages);
      if (missing.length > 0)
        error(
          'erasure.condition_explanation_missing',
          where('explanation'),
          c.explanation === undefined
            ? `erasure condition "${c.id}" of purpose "${p.id}" has no explanation for the requester`
            : `erasure condition "${c.id}" of purpose "${p.id}" has no ${missing.join(', ')} explanation, though the declaration offers ${d.languages.join(', ')}`,
          `Give explanation: { ${d.languages.map((l) => `${l}: …`).join(', ')} }: the requester is told it in their language.`,
        );
      if (exempt !== undefined)
        warn(
          'erasure.condition_on_exempt',
          where(),
          `erasure condition "${c.id}" of purpose "${p.id}" never applies: the purpose's data is exempt from erasure`,
          'Remove the condition, or the exemption.',
        );
    });
  });
}
