/**
 * The guide's first word on where the key comes from: on Binance and Bybit (the profile's
 * `selfGeneratedKey`), "Let Sentinel make the key (recommended)" — the credential form makes the
 * pair and shows the public key to paste; on OKX, plainly that it is not offered. The content
 * script itself never asks the host for anything here: the form (an extension page) does.
 */
import type { ExchangeGuide } from '../exchanges/index.js';

export function KeyChoice({ profile, onConnect }: { profile: ExchangeGuide; onConnect(): void }) {
  const offer = profile.selfGeneratedKey;
  if (!offer)
    return (
      <p class="key-choice" data-testid="key-choice" data-offered="false">
        {profile.name} offers no self-generated keys, so Sentinel cannot make this key for you:
        follow the steps below and paste what {profile.name} shows in “Connect key”.
      </p>
    );
  return (
    <div class="key-choice" data-testid="key-choice" data-offered="true">
      <strong>Let Sentinel make the key (recommended).</strong> The private key is made and kept on
      this computer only; {profile.name} gets the public key (“{offer.optionName}”).{' '}
      <button type="button" class="link" data-testid="key-choice-connect" onClick={onConnect}>
        Make it in “Connect key”
      </button>
      , paste the public key when you create the key, then give Sentinel only the API key. The
      permission and IP steps below stay the same; a key and secret {profile.name} makes still work
      too.
    </div>
  );
}
