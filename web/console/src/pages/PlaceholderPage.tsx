import type { FunctionComponent } from 'react';

/** A screen that a later release will fill in. */
export function comingLater(title: string): FunctionComponent {
  function PlaceholderPage() {
    return (
      <div className="page">
        <h1 tabIndex={-1}>{title}</h1>
        <div className="card placeholder">
          <p className="placeholder-title">Coming in a later release</p>
          <p className="muted">This part of the console is not available yet.</p>
        </div>
      </div>
    );
  }
  PlaceholderPage.displayName = `Placeholder(${title})`;
  return PlaceholderPage;
}
