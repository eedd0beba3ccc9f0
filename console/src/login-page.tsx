// Sign-in when the server verifies signatures (--auth sigv4 | iam): an access key, its secret, a
// session token for temporary credentials, and the region. They stay in this tab's session storage
// and sign each request in the browser; they are never sent as such.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Credentials } from './api.js';
import { regions } from './regions.js';
import { ErrorLine, Field, Select } from './ui.js';

export function LoginPage({ region, onSignIn, error }: { region: string; onSignIn: (c: Credentials) => void; error?: unknown }): JSX.Element {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [chosenRegion, setRegion] = useState(region);
  const submit = (e: Event): void => {
    e.preventDefault();
    onSignIn({ accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), region: chosenRegion, ...(sessionToken.trim() === '' ? {} : { sessionToken: sessionToken.trim() }) });
  };
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      <p>This server verifies every request. Sign in with an access key of the account's root or of an IAM user.</p>
      <form onSubmit={submit}>
        <Field label="Access key ID" value={accessKeyId} onInput={setAccessKeyId} required autoFocus />
        <Field label="Secret access key" type="password" value={secretAccessKey} onInput={setSecret} required />
        <Field label="Session token (optional)" value={sessionToken} onInput={setToken} />
        <Select label="Region" value={chosenRegion} options={regions.includes(chosenRegion) ? regions : [chosenRegion, ...regions]} onChange={setRegion} />
        <ErrorLine error={error} />
        <button type="submit" class="primary">Sign in</button>
      </form>
    </section>
  );
}
