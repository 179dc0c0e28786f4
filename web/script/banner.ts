/**
 * The consent banner: a non-modal dialog at the bottom of the page. The first layer has "Reject
 * all" and "Accept all" (the same size and style) and "Customise"; the customise layer lists the
 * categories, each with its services, and "Save". Required categories show as always on;
 * categories that Global Privacy Control turns off show as off and cannot be switched on.
 *
 * Focus moves into the dialog when it opens and back to where it was when it closes; Escape
 * leaves the customise layer, or closes a banner opened again after a choice. A small "Cookie
 * settings" button stays at the bottom of every page to open it again.
 */
import type { BannerConfig, ConsentChoice } from '../../src/web/contract';

type Category = BannerConfig['categories'][number];
type Props = Record<string, string | boolean | undefined | ((event: never) => void)>;

/** An element with attributes (`on…` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props))
    if (typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
  el.append(...children);
  return el;
}

export interface BannerSetup {
  readonly config: BannerConfig;
  readonly lang: string;
  readonly allowed: (category: string) => boolean;
  /** True for a category that Global Privacy Control keeps off. */
  readonly forced: (category: string) => boolean;
  readonly servicesOff: () => readonly string[];
  /** Whether the visitor has chosen for the version in force. */
  readonly chosen: () => boolean;
  readonly choose: (
    categories: Record<string, boolean>,
    servicesOff: string[],
    via: ConsentChoice['via'],
  ) => void;
}

/** Where focus goes when the banner opens: the dialog, the Customise button, or nowhere. */
type Focus = 'dialog' | 'customise' | false;

export function banner(s: BannerSetup): { open(custom?: boolean, focus?: Focus): void } {
  const { config, lang } = s;
  const first = config.languages[0]!;
  const t = config.text[lang] ?? config.text[first]!;
  const local = (text: Readonly<Record<string, string>>) => text[lang] ?? text[first] ?? '';
  const optional = config.categories.filter((c) => !c.required);
  const all = (on: boolean) => Object.fromEntries(optional.map((c) => [c.id, on && !s.forced(c.id)]));
  const button = (text: string, onclick: () => void, main?: boolean) =>
    h('button', { type: 'button', class: main && 'stw-m', onclick }, text);

  let box: HTMLElement | undefined;
  let back: Element | null = null;
  const reopen = button(t.reopen, () => open());
  reopen.className = 'stw-r';
  document.body.append(reopen);

  const close = () => {
    box?.remove();
    box = undefined;
    reopen.hidden = false;
    if (back instanceof HTMLElement && back !== document.body && back.isConnected) back.focus();
  };
  const pick = (categories: Record<string, boolean>, off: string[], via: ConsentChoice['via']) => {
    close();
    s.choose(categories, off, via);
  };

  function open(custom = false, focus: Focus = 'dialog') {
    // Only a banner that was closed slides in; switching layers redraws it in place.
    const fresh = !box;
    if (fresh) back = focus ? document.activeElement : null;
    box?.remove();
    reopen.hidden = true;

    const rows: [Category, HTMLInputElement, [string, HTMLInputElement][]][] = [];
    const fieldset = (c: Category) => {
      const forced = s.forced(c.id);
      const locked = c.required || forced;
      const on = c.required || (!forced && s.allowed(c.id));
      const checkbox = (checked: boolean, describedby?: string) =>
        h('input', { type: 'checkbox', checked, disabled: locked, 'aria-describedby': describedby });
      const input = checkbox(on, 'stw-c-' + c.id);
      const services = c.services.map(
        (v) => [v.name, checkbox(on && !s.servicesOff().includes(v.name))] as [string, HTMLInputElement],
      );
      rows.push([c, input, services]);
      return h(
        'fieldset',
        {},
        h(
          'legend',
          {},
          h('label', {}, input, local(c.name)),
          c.required ? h('small', {}, ' ' + t.alwaysOn) : '',
        ),
        h('p', { id: 'stw-c-' + c.id }, local(c.description) + (forced ? ' ' + t.gpcHonoured : '')),
        services.length
          ? h(
              'details',
              {},
              h('summary', {}, `${t.services} (${services.length})`),
              h(
                'ul',
                {},
                ...c.services.map((v, i) =>
                  h(
                    'li',
                    {},
                    h('label', {}, services[i]![1], v.name),
                    ` – ${v.provider}${v.country ? ` (${v.country})` : ''}, ${v.lifetime}`,
                  ),
                ),
              ),
            )
          : '',
      );
    };
    // A category is on when any of its services is; switching a category switches them all.
    const linkToggles = (e: Event) => {
      for (const [, category, services] of rows)
        if (e.target === category) services.forEach(([, i]) => (i.checked = category.checked));
        else if (services.some(([, i]) => i === e.target))
          category.checked = services.some(([, i]) => i.checked);
    };
    const save = () =>
      pick(
        Object.fromEntries(rows.filter(([c]) => !c.required).map(([c, i]) => [c.id, i.checked])),
        rows.flatMap(([, category, services]) =>
          category.checked ? services.filter(([, i]) => !i.checked).map(([name]) => name) : [],
        ),
        optional.some((c) => s.forced(c.id)) ? 'gpc' : 'save',
      );
    const customise = button(t.customise, () => open(true));
    const saveButton = button(t.save, save);

    box = h(
      'div',
      {
        class: fresh ? 'stw stw-in' : 'stw',
        role: 'dialog',
        'aria-labelledby': 'stw-t',
        'aria-describedby': 'stw-d',
        tabindex: '-1',
        lang,
        onkeydown: (e: KeyboardEvent) => {
          if (e.key !== 'Escape') return;
          if (custom) open(false, 'customise');
          else if (s.chosen()) close();
        },
      },
      h('h2', { id: 'stw-t' }, t.title),
      h('p', { id: 'stw-d' }, t.intro + ' ', h('a', { href: config.noticeUrl }, t.noticeLink)),
      custom ? h('div', { onchange: linkToggles }, ...config.categories.map(fieldset)) : '',
      h(
        'div',
        { class: 'stw-b' },
        button(t.rejectAll, () => pick(all(false), [], 'reject_all'), true),
        button(t.acceptAll, () => pick(all(true), [], 'accept_all'), true),
        custom ? saveButton : customise,
        custom || s.chosen() ? button(t.close, custom ? () => open(false, 'customise') : close) : '',
      ),
    );
    document.body.prepend(box);
    if (custom) (box.querySelector<HTMLElement>('input:enabled') ?? saveButton).focus();
    else if (focus === 'customise') customise.focus();
    else if (focus) box.focus();
  }

  return { open };
}
