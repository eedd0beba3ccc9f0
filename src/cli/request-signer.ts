// Minimal AWS Signature Version 4 for the stratusdb command's own API calls (backup, restore, export,
// import) and for the load generator, whose requests then cost the client what a real SDK request
// costs; a server that verifies signatures accepts these.
import { createHash, createHmac } from 'node:crypto';

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export class Signer {
  private day = '';
  private key: Buffer = Buffer.alloc(0);

  constructor(
    private readonly accessKeyId: string,
    private readonly secret: string,
    private readonly region: string,
    private readonly service = 'dynamodb',
  ) {}

  /** Headers for a POST / with the given body, target and host. */
  sign(host: string, target: string, body: string, now = new Date()): Record<string, string> {
    const contentType = 'application/x-amz-json-1.0';
    const { amzDate, authorization } = this.authorize(now, 'POST', '/', `content-type:${contentType}\nhost:${host}\nx-amz-date:{date}\nx-amz-target:${target}\n`, 'content-type;host;x-amz-date;x-amz-target', body);
    return { 'Content-Type': contentType, 'X-Amz-Date': amzDate, 'X-Amz-Target': target, Authorization: authorization };
  }

  /** Headers for a GET of `path` (plain characters, no query) on `host`: the server's own status pages. */
  signGet(host: string, path: string, now = new Date()): Record<string, string> {
    const { amzDate, authorization } = this.authorize(now, 'GET', path, `host:${host}\nx-amz-date:{date}\n`, 'host;x-amz-date', '');
    return { 'X-Amz-Date': amzDate, Authorization: authorization };
  }

  /** The Authorization header of a request whose canonical headers are `headers` ({date} standing for X-Amz-Date). */
  private authorize(now: Date, method: string, path: string, headers: string, signedHeaders: string, body: string): { amzDate: string; authorization: string } {
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    if (date !== this.day) {
      this.day = date;
      this.key = hmac(hmac(hmac(hmac(`AWS4${this.secret}`, date), this.region), this.service), 'aws4_request');
    }
    const canonical = `${method}\n${path}\n\n${headers.replace('{date}', amzDate)}\n${signedHeaders}\n${sha256(body)}`;
    const scope = `${date}/${this.region}/${this.service}/aws4_request`;
    const signature = hmac(this.key, `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`).toString('hex');
    return { amzDate, authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}` };
  }
}
