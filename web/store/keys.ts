/**
 * Where designs are stored: the IndexedDB database and store, and the key names
 * inside it — the same names earlier versions used in localStorage. Shared by
 * persist.ts and the end-to-end tests (which read and seed storage directly).
 */
export const DB_NAME = 'nft-designer';
export const STORE_NAME = 'designs';
/** the list of designs and which one is open */
export const INDEX_KEY = 'nftd.designs';
/** one design: DESIGN_PREFIX + its id */
export const DESIGN_PREFIX = 'nftd.design.';
/** a save that could not be read, kept aside: RECOVERED_PREFIX + id + '.' + time */
export const RECOVERED_PREFIX = 'nftd.recovered.';
