// Worker threads start as plain Node: teach this thread TypeScript (tsx), then load the worker.
// (execArgv ['--import', 'tsx'] does not reach workers on every Node 20 release.)
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
