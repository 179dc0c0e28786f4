/**
 * Form pieces the public pages and the demo site share: a field's error message, its `aria-*`
 * attributes, and the summary of problems at the top of a form. Field names and ids are the
 * caller's; every text is escaped by React.
 */
import type { ReactNode } from 'react';

export type FieldErrors = Record<string, string>;

/** The message under a field, with the id its `aria-describedby` names; nothing when valid. */
export function FieldError({ id, errors }: { id: string; errors: FieldErrors }) {
  const message = errors[id];
  return message === undefined ? null : (
    <p className="field-error" id={`${id}-error`}>
      {message}
    </p>
  );
}

/** `aria-*` attributes for a field: its hint, its error, and whether it is invalid. */
export function describedBy(
  id: string,
  errors: FieldErrors,
  hint = false,
): { 'aria-describedby'?: string; 'aria-invalid'?: 'true' } {
  const ids = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(ids ? { 'aria-describedby': ids } : {}), ...(errors[id] ? { 'aria-invalid': 'true' } : {}) };
}

/** The list of problems at the top of a form, each linking to its field (or `anchors[id]`). */
export function ErrorSummary(props: {
  heading: string;
  errors: FieldErrors;
  anchors?: Readonly<Record<string, string>>;
  focusable?: boolean;
}) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" {...(props.focusable ? { tabIndex: -1 } : {})}>
      <h2>{props.heading}</h2>
      <ul>
        {entries.map(([id, message]) => (
          <li key={id}>
            <a href={`#${props.anchors?.[id] ?? id}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A POST form to `action` (already carrying the page language). */
export function PostForm(props: { action: string; noValidate?: boolean; children?: ReactNode }) {
  return (
    <form method="post" action={props.action} {...(props.noValidate ? { noValidate: true } : {})}>
      {props.children}
    </form>
  );
}

/** The required email field (`name="email"`), with its hint and error named for screen readers. */
export function EmailInput(props: { value: string | undefined; errors: FieldErrors; hint?: boolean }) {
  return (
    <input
      type="email"
      id="email"
      name="email"
      autoComplete="email"
      required
      maxLength={320}
      defaultValue={props.value ?? ''}
      {...describedBy('email', props.errors, props.hint ?? true)}
    />
  );
}
