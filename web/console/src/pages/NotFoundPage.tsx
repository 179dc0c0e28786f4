import { href } from '../router';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <div className="card">
        <p>
          There is no console page at this address. <a href={href('/')}>Go to the overview</a>.
        </p>
      </div>
    </div>
  );
}
