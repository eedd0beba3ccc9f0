// SQL literals for statements sent as one simple query (several statements, one round trip): the
// simple protocol takes no parameters, so values are written into the text. Only these two forms are
// ever written: bytes as a hex bytea literal and text with its quotes doubled (the connection runs
// with standard_conforming_strings on, so a backslash is an ordinary character).

/** Bytes as a bytea literal: '\x0a1b'::bytea. */
export function byteaLiteral(bytes: Uint8Array): string {
  return `'\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}'::bytea`;
}

/** Text as a string literal. PostgreSQL's text holds no NUL character: the caller never passes one (JSON escapes it). */
export function textLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
