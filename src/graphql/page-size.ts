/**
 * The page sizes of `transactions(first:)`. A module of plain constants, so that what only needs the
 * figures (the query limits, which the settings module reads) does not load the decorated argument
 * classes, and with them type-graphql and its need of reflect-metadata.
 */

/** Highest `first` a caller may ask for (contract: 1–1000). */
export const MAX_PAGE_SIZE = 1000;
/** `first` when a caller does not say. */
export const DEFAULT_PAGE_SIZE = 100;
