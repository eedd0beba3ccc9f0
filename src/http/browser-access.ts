// Who may reach the server from a browser. StratusDB authenticates nobody by default, so a web page
// must not be able to read or change its data: CORS is granted only to loopback origins (or exactly
// the --cors list), never to "null"; a request from any other origin is refused before it runs; and
// a server on loopback answers only Host names that are local (DNS rebinding points a foreign name at
// 127.0.0.1 to get past the browser's same-origin rule).

export interface BrowserAccessOptions {
  /** The interface the server listens on. */
  readonly listenHost: string;
  /** Origins granted CORS; '*' grants every origin. Undefined: loopback origins only. */
  readonly cors?: readonly string[];
  /** Host names answered besides the local ones, when listening on loopback. */
  readonly allowedHosts?: readonly string[];
  /**
   * Requests are authenticated (--auth sigv4 | iam): a page of the server's own origin (the console)
   * may call it wherever it listens. Without authentication a same-origin request proves nothing off
   * loopback — DNS rebinding makes any page "same-origin" — so it is not granted.
   */
  readonly authenticated?: boolean;
}

export interface BrowserAccess {
  /** Whether a request with this Origin header, sent to this Host (over TLS or not), may run and read its reply. */
  originAllowed(origin: string, host?: string, secure?: boolean): boolean;
  /** Access-Control-Allow-Origin for an allowed origin. */
  allowOriginHeader(origin: string): string;
  /** Whether a request with this Host header is answered. */
  hostAllowed(host: string | undefined): boolean;
}

export function browserAccess(options: BrowserAccessOptions): BrowserAccess {
  const listed = options.cors?.filter((o) => o !== '*').map(normalizedOrigin) ?? [];
  const anyOrigin = options.cors?.includes('*') === true;
  const checkHost = isLoopbackName(options.listenHost);
  const extraHosts = new Set([options.listenHost, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')));
  return {
    originAllowed(origin, host, secure = false) {
      if (origin === 'null') return false;
      if (anyOrigin) return true;
      const normalized = normalizedOrigin(origin);
      if (options.authenticated === true && host !== undefined && normalized === normalizedOrigin(`${secure ? 'https' : 'http'}://${host}`)) return true;
      if (options.cors !== undefined) return listed.includes(normalized);
      return isLoopbackName(hostnameOfOrigin(normalized));
    },
    allowOriginHeader(origin) {
      return anyOrigin ? '*' : origin;
    },
    hostAllowed(host) {
      if (!checkHost || host === undefined) return true;
      const name = hostnameOfHeader(host);
      return isLoopbackName(name) || extraHosts.has(name);
    },
  };
}

/** scheme://host[:port] in lower case without a default port, or the text itself when it is no URL. */
function normalizedOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

function hostnameOfOrigin(origin: string): string {
  try {
    return new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** The host name of a Host header ("name:port", "[v6]:port"), lower case, brackets removed. */
function hostnameOfHeader(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') < 0 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
