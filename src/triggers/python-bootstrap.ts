// Where the bundled Python runtime (lambda_bootstrap.py) is: the build copies it beside this module
// and beside the CLI bundle, so the same relative URL finds it in both.
import { fileURLToPath } from 'node:url';

export const pythonBootstrapPath = fileURLToPath(new URL('./lambda_bootstrap.py', import.meta.url));
