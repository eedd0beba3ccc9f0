// The console's frame: who calls the API (placeholder credentials while the server asks for none,
// else the access keys signed in with), the region, the theme, the navigation, and which page the
// address names.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError, placeholderCredentials, type Credentials } from './api.js';
import { BackupsPage } from './backups-page.js';
import { LoginPage } from './login-page.js';
import { PartiqlPage } from './partiql-page.js';
import { regions } from './regions.js';
import { TablePage } from './table-page.js';
import { TablesPage } from './tables-page.js';
import { TriggersPage } from './triggers-page.js';
import { UsersPage } from './users-page.js';
import { ErrorLine } from './ui.js';

const credentialsKey = 'stratusdb-console-credentials';
const regionKey = 'stratusdb-console-region';
const themeKey = 'stratusdb-console-theme';

/** The failures that mean "sign in": the server verifies signatures and these credentials are not good. */
const signInErrors = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'ExpiredTokenException']);

export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = (): void => setHash(location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function storedCredentials(): Credentials | undefined {
  try {
    const text = sessionStorage.getItem(credentialsKey);
    return text === null ? undefined : (JSON.parse(text) as Credentials);
  } catch {
    return undefined;
  }
}

type Session = { readonly state: 'checking' } | { readonly state: 'signed-out'; readonly error?: unknown } | { readonly state: 'ready'; readonly api: Api; readonly signedIn: boolean };

export function App(): JSX.Element {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [region, setRegion] = useState(localStorage.getItem(regionKey) ?? 'us-east-1');
  const [attempt, setAttempt] = useState(0);
  const [theme, setTheme] = useState(localStorage.getItem(themeKey) ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  const hash = useHash();

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
    localStorage.setItem(themeKey, theme);
  }, [theme]);

  // Signed-in credentials first; otherwise see whether the server takes unsigned-in callers.
  useEffect(() => {
    const stored = storedCredentials();
    const credentials = stored === undefined ? placeholderCredentials(region) : { ...stored, region };
    const api = new Api(credentials);
    let current = true;
    api.dynamodb('ListTables', { Limit: 1 }).then(
      () => current && setSession({ state: 'ready', api, signedIn: stored !== undefined }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && signInErrors.has(error.type)) {
          sessionStorage.removeItem(credentialsKey);
          setSession({ state: 'signed-out', ...(stored === undefined ? {} : { error }) });
        } else {
          setSession({ state: 'ready', api, signedIn: stored !== undefined }); // e.g. AccessDenied on ListTables: the pages say so
        }
      },
    );
    return () => {
      current = false;
    };
  }, [region, attempt]);

  const signIn = (credentials: Credentials): void => {
    sessionStorage.setItem(credentialsKey, JSON.stringify(credentials));
    localStorage.setItem(regionKey, credentials.region);
    setSession({ state: 'checking' });
    setRegion(credentials.region);
    setAttempt((n) => n + 1);
  };
  const signOut = (): void => {
    sessionStorage.removeItem(credentialsKey);
    setSession({ state: 'signed-out' });
  };
  const changeRegion = (value: string): void => {
    localStorage.setItem(regionKey, value);
    setRegion(value);
  };

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="#/tables">StratusDB</a>
        {session.state === 'ready' ? <Navigation hash={hash} /> : null}
        <div class="top-controls">
          {session.state === 'ready'
            ? (
              <label class="inline">Region{' '}
                <select value={region} onChange={(e) => changeRegion(e.currentTarget.value)}>
                  {(regions.includes(region) ? regions : [region, ...regions]).map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              </label>
            )
            : null}
          <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-pressed={theme === 'dark'}>Dark theme</button>
          {session.state === 'ready' && session.signedIn ? <button type="button" onClick={signOut}>Sign out</button> : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session.state === 'checking' ? <p class="muted">Connecting…</p> : null}
        {session.state === 'signed-out' ? <LoginPage region={region} onSignIn={signIn} error={session.error} /> : null}
        {session.state === 'ready' ? <Page api={session.api} hash={hash} /> : null}
      </main>
    </>
  );
}

function Navigation({ hash }: { hash: string }): JSX.Element {
  const section = hash.split('/')[1] ?? 'tables';
  const links: [string, string][] = [['tables', 'Tables'], ['partiql', 'PartiQL'], ['triggers', 'Triggers'], ['backups', 'Backups'], ['users', 'Users']];
  return (
    <nav aria-label="Sections" class="sections">
      {links.map(([key, title]) => <a key={key} href={`#/${key}`} aria-current={section === key || (section === '' && key === 'tables') ? 'page' : undefined}>{title}</a>)}
    </nav>
  );
}

/** A part of the address as written; one that is no valid escape (a hand-typed %) stays as it is. */
function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function Page({ api, hash }: { api: Api; hash: string }): JSX.Element {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodedPart);
  const [section = 'tables', name, tab] = parts;
  if (section === 'tables' || section === '') {
    return name === undefined || name === '' ? <TablesPage api={api} /> : <TablePage key={`${api.credentials.region}/${name}`} api={api} name={name} tab={tab ?? 'overview'} />;
  }
  if (section === 'partiql') return <PartiqlPage api={api} />;
  if (section === 'triggers') return <TriggersPage api={api} />;
  if (section === 'backups') return <BackupsPage api={api} />;
  if (section === 'users') return <UsersPage api={api} />;
  return <ErrorLine error={new Error(`There is no page ${hash}`)} />;
}
