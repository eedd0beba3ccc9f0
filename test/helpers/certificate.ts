// A self-signed certificate for 127.0.0.1, made with openssl for a test (an HTTPS server of its own),
// and why such tests are skipped where openssl is missing.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Why a certificate cannot be made here (`what`: what needs it), or false. */
export function opensslMissing(what: string): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return `openssl is not installed (it makes ${what})`;
  }
}

/** A certificate and its key for 127.0.0.1, valid two days, written into `dir`; their paths. */
export function loopbackCertificate(dir: string): { readonly cert: string; readonly key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}
