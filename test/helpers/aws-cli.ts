// Whether the AWS CLI is installed: tests that drive it are skipped, with this reason printed, without it.
import { execFileSync } from 'node:child_process';

/** False when `aws` runs; otherwise why the tests that need it are skipped. */
export function awsCliMissing(): string | false {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'the AWS CLI (`aws`) is not installed: .ci/run installs Debian\'s awscli';
  }
}
