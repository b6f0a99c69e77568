// The one piece of the chrome.* API the polyfill does not expose: the error that explains why a
// native port disconnected (Firefox puts it on port.error instead).
declare const chrome: { runtime: { lastError?: { message?: string } } } | undefined;
