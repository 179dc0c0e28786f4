/**
 * In-transaction events: a use case publishes what changed, and modules that must react to it
 * (an integration, say) subscribe at the composition root (src/app.ts), so the publisher does not
 * import them. Subscribers run in the publisher's transaction, before it commits: what they write
 * (a queued job, typically) commits or rolls back with the change, and a subscriber that throws
 * rolls the change back. Keep them short; slow work belongs in the job they enqueue.
 */
import type { Tx } from './store/transaction.js';

/**
 * A kind of event, typed by what it carries. Declared by the module that publishes it.
 *
 * @example
 * export const requestMoved = defineTopic<RequestMoved>('rights.request-moved');
 */
export interface Topic<E> {
  readonly name: string;
  /** Only carries the event type; never set. */
  readonly _event?: (event: E) => void;
}

export function defineTopic<E>(name: string): Topic<E> {
  return { name };
}

/** Reacts to one event, inside the transaction that published it. */
export type Subscriber<E> = (tx: Tx, event: E) => Promise<void>;

/** The subscribers of each topic, held by the app context (one per context, not per process). */
export class Events {
  private readonly subscribers = new Map<Topic<never>, Subscriber<never>[]>();

  /** Adds a subscriber; they run in the order they subscribed. Returns a function removing it. */
  subscribe<E>(topic: Topic<E>, subscriber: Subscriber<E>): () => void {
    const key = topic as Topic<never>;
    const list = this.subscribers.get(key) ?? [];
    list.push(subscriber as Subscriber<never>);
    this.subscribers.set(key, list);
    return () => {
      const at = list.indexOf(subscriber as Subscriber<never>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Runs every subscriber of the topic in turn, in `tx`; the first that throws stops the rest. */
  async publish<E>(tx: Tx, topic: Topic<E>, event: E): Promise<void> {
    const list = this.subscribers.get(topic as Topic<never>);
    if (list === undefined) return;
    for (const subscriber of [...list]) await (subscriber as Subscriber<E>)(tx, event);
  }
}
