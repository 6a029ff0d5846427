import { NavLink, Outlet, useNavigate } from 'react-router';
import { clearSessionKey } from '../api/session-key.js';
import { useSessionKey } from '../api/use-session.js';

const links = [
  { to: '/', label: 'Overview', end: true },
  { to: '/tasks', label: 'Tasks' },
  { to: '/playground', label: 'Playground' },
  { to: '/gallery', label: 'Gallery' },
  { to: '/models', label: 'Models' },
  { to: '/cost', label: 'Cost' },
  { to: '/comparisons', label: 'Comparisons' },
  { to: '/flows', label: 'Flows' },
  { to: '/keys', label: 'Keys' },
];

/** The frame of every signed-in page: skip link, navigation, who is signed in, the page. */
export function Layout() {
  const key = useSessionKey();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">imagegate</span>
        <nav aria-label="Main">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end ?? false}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{key ? `${key.slice(0, 10)}…` : 'no key'}</span>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              clearSessionKey();
              window.dispatchEvent(new Event('imagegate:signed-out'));
              void navigate('/sign-in');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
