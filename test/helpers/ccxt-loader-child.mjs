// Child process for the ccxt loader test: records every file Node loads (a module.register load
// hook, which sees each ES module once, before it runs), loads one exchange class through the
// service's loader (the build in dist/), and prints what was loaded as one JSON line. Only then
// does it import ccxt's entry, to check the class is the entry's own object.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const [id] = process.argv.slice(2);
const loaded = [];
const waiting = new Map();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  loaded.push(url);
  waiting.get(url)?.();
});
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) {
  port.postMessage(url);
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, {
  data: { port: port2 },
  transferList: [port2],
});

const { exchangeClass } =
  await import('../../dist/host/native-host/service/exchange/ccxt-classes.js');
const Cls = await exchangeClass(id);
const instanceId = new Cls({}).id;
// The hook thread posts each URL in order: once a marker module loaded last has arrived, every
// file before it has too.
const marker = `data:text/javascript,export const marker = ${process.pid};`;
const markerSeen = new Promise((resolve) => waiting.set(marker, resolve));
await import(marker);
await markerSeen;
const files = loaded.slice(0, loaded.indexOf(marker));
port1.close(); // held open until here: an unref'd port let Node exit while the marker was on its way
const ccxt = (await import('ccxt')).default;
process.stdout.write(
  `${JSON.stringify({ name: Cls.name, instanceId, sameAsEntry: ccxt[id] === Cls, files })}\n`,
);
