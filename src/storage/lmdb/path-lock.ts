// One StratusDB process per data directory. LMDB itself lets several processes share a file, and two
// servers would each keep their own catalog in memory and overwrite each other's. The lock is a
// listening socket in Linux's abstract namespace, named after the directory: binding it is atomic,
// the kernel releases it when the process ends however it ends (kill -9 leaves nothing stale), and
// whoever holds it answers a connection with its pid. Elsewhere a pid file created exclusively does
// the same, taken over when the process it names is gone.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface PathLock {
  release(): Promise<void>;
}

export class PathInUseError extends Error {
  constructor(path: string, holder: string) {
    super(`the data directory ${path} is in use by another StratusDB process (${holder}): stop it, or choose another --data path`);
    this.name = 'PathInUseError';
  }
}

export async function lockPath(path: string): Promise<PathLock> {
  const real = realpathSync(path);
  return process.platform === 'linux' ? socketLock(real) : pidFileLock(real);
}

async function socketLock(path: string): Promise<PathLock> {
  const name = `\0stratusdb-lock-${createHash('sha256').update(path).digest('hex').slice(0, 40)}`;
  const server: Server = createServer((socket) => socket.end(String(process.pid)));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new PathInUseError(path, await holderOf(name));
  }
  server.unref();
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** "pid N" from the lock's holder, or a plain description when it does not answer. */
function holderOf(name: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(name);
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(/^\d+$/.test(answer) ? `pid ${answer}` : 'a process that did not say its pid'));
  });
}

function pidFileLock(path: string): PathLock {
  const file = join(path, 'stratusdb.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        async release() {
          unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new PathInUseError(path, `pid ${pid}`);
      unlinkSync(file); // left by a process that is gone
    }
  }
  throw new PathInUseError(path, 'a process starting at the same moment');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
