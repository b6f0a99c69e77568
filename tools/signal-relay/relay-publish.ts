/**
 * Publishing one signal for a provider: verify a signed frame (or sign a bare signal with the key
 * the relay holds), check freshness, then hand it to the backend, which refuses a duplicate id,
 * keeps it for replay and sends it to the provider's subscribers. Rejects with RelayPublishError.
 */
import {
  signSignal,
  SignalValidationError,
  verifySignalFrame,
} from '../../src/node/signal-envelope.js';
import { freshness, isPlainObject, type Signal } from '../../src/signals/signal.js';
import type { SignalFrame } from '../../src/signals/types.js';
import { RelayPublishError, type PublishResult } from './relay-api.js';
import type { Provider } from './relay-config.js';
import { BackendUnavailableError } from './relay-backend.js';
import { providerByKid, type RelayState } from './relay-state.js';

/** Publish in-process: `kid`, else the frame's kid, else the only provider names the provider. */
export async function publish(
  state: RelayState,
  frameOrSignal: unknown,
  kid?: string,
): Promise<PublishResult> {
  const { providers } = state;
  const isFrame = isPlainObject(frameOrSignal) && frameOrSignal['type'] === 'signal';
  const frameKid = isFrame ? (frameOrSignal as Record<string, unknown>)['kid'] : undefined;
  const wanted = kid ?? (typeof frameKid === 'string' ? frameKid : undefined);
  const provider =
    wanted !== undefined
      ? await providerByKid(state, wanted)
      : providers.length === 1
        ? providers[0]
        : undefined;
  if (!provider)
    throw new RelayPublishError(
      400,
      'unknown-provider',
      wanted === undefined ? 'name the provider (kid)' : 'no provider has that kid',
    );
  return publishFor(state, provider, frameOrSignal);
}

export async function publishFor(
  state: RelayState,
  provider: Provider,
  body: unknown,
): Promise<PublishResult> {
  let frame: SignalFrame;
  if (isPlainObject(body) && body['type'] === 'signal') {
    const checked = verifySignalFrame(body, provider.publicKey, { kid: provider.kid });
    if (!checked.ok) throw new RelayPublishError(400, checked.reason, checked.message);
    frame = {
      type: 'signal',
      kid: provider.kid,
      sig: body['sig'] as string,
      signal: checked.signal,
    };
  } else {
    if (!provider.privateKey)
      throw new RelayPublishError(
        400,
        'unsigned',
        'this relay holds no signing key for the provider: send a signed frame',
      );
    try {
      frame = signSignal(body, provider.privateKey, provider.kid);
    } catch (e) {
      if (e instanceof SignalValidationError) throw new RelayPublishError(400, e.reason, e.message);
      throw e;
    }
  }
  const signal: Signal = frame.signal;
  const t = state.now();
  const fresh = freshness(signal, t, state.skewMs);
  if (fresh !== 'fresh')
    throw new RelayPublishError(
      400,
      fresh,
      fresh === 'expired' ? 'the signal has already expired' : 'issuedAt is in the future',
    );
  const text = JSON.stringify(frame);
  let outcome;
  try {
    outcome = await state.backend.publish(provider.kid, frame, text, signal);
  } catch (e) {
    if (e instanceof BackendUnavailableError)
      throw new RelayPublishError(503, 'unavailable', e.message);
    throw e;
  }
  if (outcome.duplicate)
    throw new RelayPublishError(409, 'duplicate', 'a signal with this id was already published');
  state.log(`relay: signal ${signal.id} from ${provider.kid} delivered to ${outcome.delivered}`);
  return {
    id: signal.id,
    delivered: outcome.delivered,
    ...(outcome.seq !== undefined ? { seq: outcome.seq } : {}),
  };
}
