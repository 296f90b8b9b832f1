/** Collects the parameters of one hand-built write statement, handing out `$n` placeholders. */
export class StatementParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder with a cast, e.g. `$3::text[]`. */
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}
