/**
 * Which recipients must hear of a rectification, erasure or restriction (Art. 19, C5.1). A
 * declared recipient is relevant when it serves a purpose of one of the person's records (the
 * purpose names it, or it names the purpose) and the declaration marks it `notifyOnChange`, or
 * when the disclosure register holds a disclosure to it about this person (`subject_ref` is the
 * subject id): data actually handed over is always followed up, whatever the flag says.
 *
 * Call it before erasing: afterwards the records that tie the person to the purposes are gone.
 */
import type { AppContext } from '../context.js';
import { purposesOfRecipient } from '../policy/describe.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { localise } from '../policy/text.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import type { Tx } from '../store/transaction.js';

export interface RecipientToNotify {
  readonly declarationId: string;
  readonly recipientId: string;
  readonly name: string;
  /** The person's data categories the recipient received, sorted. */
  readonly categories: readonly string[];
  /** Why it is on the list, in words for the operator. */
  readonly why: string;
}

interface Found {
  readonly purposes: Set<string>;
  readonly disclosures: Set<string>;
  readonly categories: Set<string>;
}

function overlaps(a: string, b: string): boolean {
  return categoryCovers(a, b) || categoryCovers(b, a);
}

/**
 * The declared recipients to tell about a change to the subject's data, sorted by declaration
 * and id. Pass the caller's transaction as `db` when calling inside one.
 */
export async function recipientsToNotify(
  ctx: Pick<AppContext, 'store' | 'policies'>,
  subjectId: string,
  db: Tx = ctx.store.db,
): Promise<RecipientToNotify[]> {
  const found = new Map<string, Found>();
  const entry = (declarationId: string, recipientId: string): Found => {
    const key = `${declarationId}|${recipientId}`;
    let f = found.get(key);
    if (f === undefined)
      found.set(key, (f = { purposes: new Set(), disclosures: new Set(), categories: new Set() }));
    return f;
  };

  const records = await db
    .selectFrom('records')
    .select(['declaration_id', 'purposes', 'categories'])
    .where('subject_id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .execute();
  for (const record of records) {
    const model = ctx.policies.get(record.declaration_id)?.model;
    if (model === undefined) continue;
    const purposes = new Set((JSON.parse(record.purposes) as { id: string }[]).map((p) => p.id));
    const categories = JSON.parse(record.categories) as string[];
    for (const recipient of model.declaration.recipients) {
      if (recipient.notifyOnChange !== true) continue;
      const served = purposesOfRecipient(model, recipient).filter((p) => purposes.has(p.id));
      if (served.length === 0) continue;
      const received = categories.filter(
        (c) => recipient.categories === undefined || recipient.categories.some((rc) => overlaps(rc, c)),
      );
      if (received.length === 0) continue;
      const f = entry(model.id, recipient.id);
      for (const p of served) f.purposes.add(p.id);
      for (const c of received) f.categories.add(c);
    }
  }

  const disclosures = await db
    .selectFrom('disclosures')
    .select(['declaration_id', 'recipient_id', 'categories', 'disclosed_at'])
    .where('subject_ref', '=', subjectId)
    .execute();
  for (const d of disclosures) {
    const f = entry(d.declaration_id, d.recipient_id);
    f.disclosures.add(d.disclosed_at.slice(0, 10));
    for (const c of JSON.parse(d.categories) as string[]) f.categories.add(c);
  }

  const result: RecipientToNotify[] = [];
  for (const [key, f] of found) {
    const [declarationId = '', recipientId = ''] = key.split('|');
    const model = ctx.policies.get(declarationId)?.model;
    const recipient = model?.declaration.recipients.find((r) => r.id === recipientId);
    const reasons: string[] = [];
    if (f.purposes.size > 0) {
      const names = [...f.purposes].sort().map((id) => {
        const purpose = model?.purposes.get(id);
        return purpose === undefined ? id : `"${localise(purpose.name, 'en')}"`;
      });
      reasons.push(`receives this person's data for ${names.join(', ')}`);
    }
    if (f.disclosures.size > 0)
      reasons.push(
        `the disclosure register records data disclosed to it on ${[...f.disclosures].sort().join(', ')}`,
      );
    result.push({
      declarationId,
      recipientId,
      name: recipient === undefined ? recipientId : localise(recipient.name, 'en'),
      categories: [...f.categories].sort(),
      why: `${reasons.join('; and ')}.`.replace(/^./, (c) => c.toUpperCase()),
    });
  }
  return result.sort(
    (a, b) => a.declarationId.localeCompare(b.declarationId) || a.recipientId.localeCompare(b.recipientId),
  );
}
