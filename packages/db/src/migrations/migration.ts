/** One schema change: applied once, in its own transaction, in version order. */
export interface Migration {
  /** 1, 2, 3 … — the order of application; never reused, never renumbered. */
  version: number;
  /** snake_case summary, matching the file name `NNN_name.ts`. */
  name: string;
  /** SQL for PostgreSQL 15+ and PGlite; may hold several statements. */
  sql: string;
}
