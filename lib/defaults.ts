/**
 * Defaults a company's connection falls back to where it names none (store/migrations/002_imports.sql sets the
 * same crons as column defaults).
 */

/** Nightly delta import: 02:00 in the company's time zone. */
export const DEFAULT_NIGHTLY_IMPORT_CRON = '0 2 * * *';
/** Weekly full reconciliation (retires what Acumatica deleted): Sundays 03:30. */
export const DEFAULT_RECONCILE_CRON = '30 3 * * 0';
/** The demo contractor's time zone (IANA); any connection can name its own. */
export const DEFAULT_TIME_ZONE = 'America/Denver';
