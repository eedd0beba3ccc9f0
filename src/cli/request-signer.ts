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
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    if (date !== this.day) {
      this.day = date;
      this.key = hmac(hmac(hmac(hmac(`AWS4${this.secret}`, date), this.region), this.service), 'aws4_request');
    }
    const contentType = 'application/x-amz-json-1.0';
    const signedHeaders = 'content-type;host;x-amz-date;x-amz-target';
    const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\nx-amz-date:${amzDate}\nx-amz-target:${target}\n\n${signedHeaders}\n${sha256(body)}`;
    const scope = `${date}/${this.region}/${this.service}/aws4_request`;
    const signature = hmac(this.key, `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`).toString('hex');
    return {
      'Content-Type': contentType,
      'X-Amz-Date': amzDate,
      'X-Amz-Target': target,
      Authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
  }
}
