// Small display helpers shared by the pages: dates, hashes and the words for server codes.

const HASH_PREFIX = 12;

const timestampFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A date-time as a `<time>` element in the operator's locale; the ISO value stays in `dateTime`. */
export function Timestamp({ value, dateOnly = false }: { value: string; dateOnly?: boolean }) {
  const date = new Date(value);
  const text = Number.isNaN(date.getTime()) ? value : (dateOnly ? dateFormat : timestampFormat).format(date);
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}

export function Hash({ value }: { value: string }) {
  return (
    <code className="hash" title={value}>
      {value.slice(0, HASH_PREFIX)}
    </code>
  );
}

/** `legitimate_interests` → `legitimate interests`. */
export function humanise(code: string): string {
  return code.replace(/_/g, ' ');
}

/** `sent` → `Sent`. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An identifier such as `user.financial.credit` in code type, which may wrap after `.` or `_` only. */
export function Identifier({ value }: { value: string }) {
  const parts = value.split(/(?<=[._])/);
  return (
    <code className="identifier">
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </span>
      ))}
    </code>
  );
}
