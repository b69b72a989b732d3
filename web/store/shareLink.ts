/**
 * The URL fragment of a share link (`#share=v1.…`, see share.ts). Kept apart
 * from the decoder so that start-up can recognise a link without loading it.
 */
export const SHARE_PREFIX = '#share=';
