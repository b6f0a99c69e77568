/**
 * Content script for the exchanges' API-management pages (matches in manifest.json).
 * The guided-setup panel arrives with the guided-setup issue; until then this script is loaded on
 * those pages and deliberately changes nothing on them.
 */
export {};
