import { useEffect, useRef, useState, type ComponentType, type MouseEvent } from 'react';
import { isInSection, matchRoute, navRoutes, type PageProps } from '../routes';
import { href, useHashPath } from '../router';
import { roleLabels, useSession } from '../session';
import { NotFoundPage } from '../pages/NotFoundPage';

export function Layout({ onSignOut }: { onSignOut: () => Promise<void> }) {
  const { operator } = useSession();
  const path = useHashPath();
  const match = matchRoute(path);
  const route = match?.route;
  const Page: ComponentType<PageProps> = route?.Page ?? NotFoundPage;
  const params = match?.params ?? {};
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${route?.label ?? 'Not found'} · Steward`;
    // Move focus to the new page's heading after navigation (not on first load) so screen readers announce it.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const main = mainRef.current;
    const target = main?.querySelector<HTMLElement>('h1') ?? main;
    target?.focus();
  }, [path, route]);

  async function handleSignOut() {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await onSignOut();
    } catch (err) {
      setSignOutError(err instanceof Error ? err.message : 'Sign-out failed.');
      setSigningOut(false);
    }
  }

  function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
    // A plain `#main` link would change the route, so move focus by hand.
    event.preventDefault();
    mainRef.current?.focus();
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main-content" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href('/')}>
          Steward
        </a>
        <div className="topbar-user">
          <span className="operator" data-testid="operator">
            <span className="operator-name">{operator.name}</span>
            <span className="operator-role">{roleLabels[operator.role]}</span>
          </span>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void handleSignOut()}
            disabled={signingOut}
          >
            Sign out
          </button>
        </div>
      </header>
      {signOutError && (
        <div className="notice notice-error banner" role="alert">
          {signOutError}
        </div>
      )}
      <nav className="sidenav" aria-label="Main">
        <ul>
          {navRoutes.map((item) => (
            <li key={item.path}>
              <a
                href={href(item.path)}
                aria-current={item.path === path ? 'page' : isInSection(item.path, path) ? 'true' : undefined}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main-content" className="content" ref={mainRef} tabIndex={-1}>
        <Page key={path} params={params} />
      </main>
    </div>
  );
}
