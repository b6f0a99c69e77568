// Preload (`node --import <this>`) for tests of what a process loads: appends the URL of every
// file the process loads, one a line, to <pid>.txt in the folder named by $SC_RECORD_LOADS. A
// module.register load hook sees each ES module (and each CommonJS file imported from one) once,
// before it runs.
import { register } from 'node:module';

const dir = process.env.SC_RECORD_LOADS;
if (dir) {
  const log = `${dir}/${process.pid}.txt`;
  const hooks = `
import { appendFileSync } from 'node:fs';
const log = ${JSON.stringify(log)};
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return next(url, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
