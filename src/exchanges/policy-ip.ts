/**
 * The IP rules: a key must be restricted to trusted IPs, and this machine must be one of them.
 */
import { ipListAllows } from './key-info-util.js';
import { addCheck, type CheckContext } from './policy-context.js';

const NOT_ON_WHITELIST_RISK =
  'Without IP restriction, anyone who obtains your API key can trade on your account from any IP address.';

/** Checks "ip-restriction" and "this-machine-ip"; returns `Audit.thisMachineAllowed`. */
export function ipChecks(
  ctx: CheckContext,
  thisMachineIp: string | null,
  proven: boolean,
): boolean | null {
  const { profile, info, page } = ctx;
  let thisMachineAllowed: boolean | null = proven ? true : null;
  const ipHere = thisMachineIp ? ` (${thisMachineIp})` : '';
  if (info.ipRestricted === false) {
    thisMachineAllowed = true;
    // What the exchange itself does to such keys (Binance: trading off after 30 days; Bybit: the
    // key invalid after 90): the profile's audit notes.
    const note = profile.auditNotes.unrestrictedKey?.(info) ?? '';
    addCheck(
      ctx,
      'ip-restriction',
      'warn',
      `This key works from any IP address. ${NOT_ON_WHITELIST_RISK} Restrict it to this machine's IP${ipHere} on ${page}.${note}`,
    );
  } else if (info.ipRestricted === null) {
    addCheck(
      ctx,
      'ip-restriction',
      'warn',
      `${profile.name}'s answer does not say whether this key is restricted to trusted IPs. Check on ${page} that only this machine's IP${ipHere} may use it.`,
    );
  } else {
    addCheck(ctx, 'ip-restriction', 'ok', 'The key is restricted to trusted IP addresses.');
    const list = info.ipList;
    if (list === undefined) {
      // Binance's answer carries no IP list. The signed key-info call was accepted from here by a
      // key that only trusted IPs may use, which proves this machine's IP is one of them.
      if (proven) {
        addCheck(
          ctx,
          'this-machine-ip',
          'ok',
          `${profile.name} does not list the trusted IPs in its answer, but it accepted a signed request from this machine, which proves this machine's IP is one of them.`,
        );
      } else {
        addCheck(
          ctx,
          'this-machine-ip',
          'warn',
          `${profile.name} does not list the key's trusted IPs in its answer, so Sentinel cannot check that this machine's IP${ipHere} is one of them. Make sure it is, on ${page}.`,
        );
      }
    } else if (thisMachineIp === null) {
      addCheck(
        ctx,
        'this-machine-ip',
        'warn',
        `Sentinel could not find this machine's public IP, so it cannot check it against the key's whitelist (${list.join(', ')}).${proven ? ` ${profile.name} accepts requests from here now, but if this machine's IP changes the bot will stop.` : ` If ${profile.name} refuses the bot's requests, add this machine's IP on ${page}.`}`,
      );
    } else if (ipListAllows(list, thisMachineIp)) {
      thisMachineAllowed = true;
      addCheck(
        ctx,
        'this-machine-ip',
        'ok',
        `This machine's IP (${thisMachineIp}) is on the key's whitelist.`,
      );
    } else if (proven) {
      addCheck(
        ctx,
        'this-machine-ip',
        'warn',
        `This machine's IP as Sentinel sees it (${thisMachineIp}) is not on the key's whitelist (${list.join(', ')}), yet ${profile.name} accepted a request from here, so it sees another address (IPv6 or a proxy?). If orders are refused, add ${thisMachineIp} on ${page}.`,
      );
    } else {
      thisMachineAllowed = false;
      addCheck(
        ctx,
        'this-machine-ip',
        'warn',
        `This machine's IP (${thisMachineIp}) is not on the key's whitelist (${list.join(', ')}), so ${profile.name} will refuse the bot's requests. Add it to the key on ${page}.`,
      );
    }
  }
  return thisMachineAllowed;
}
