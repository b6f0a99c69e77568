/** Values every process agrees on: the extension, the bridge, the service and the CLI. */

/** Native-messaging host name, as registered with the browsers. */
export const HOST_NAME = 'com.sentinel.companion';

/** Version of the extension↔host wire contract (docs/protocol.md). */
export const PROTOCOL_VERSION = 1;

/**
 * The extension's id. It is fixed by the public key in manifest.json's "key" field
 * (first 32 hex chars of sha256(DER key), mapped 0-9a-f → a-p); a unit test keeps the two in step.
 */
export const EXTENSION_ID = 'accinggnclbnniddladpeaeijoblkmhg';

/** The origin Chromium-family browsers pass to the host as its first argument. */
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

/** Firefox add-on id (manifest browser_specific_settings.gecko.id); Firefox passes it as argv[2]. */
export const FIREFOX_ADDON_ID = 'sentinel-companion@sentinel-companion.app';

/**
 * Internal notification the bridge sends as the first frame of its service connection, with
 * `{origin}`: the caller the browser named in the bridge's argv (never from the page). The service
 * takes it only as a connection's first frame; later it is an unknown method. docs/protocol.md.
 */
export const BRIDGE_CALLER_METHOD = 'bridge.caller';

/**
 * Largest frame either side accepts. Chrome refuses host→browser messages over 1 MiB; we hold
 * browser→host messages (credentials, commands) to the same bound — nothing legitimate is larger.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;
