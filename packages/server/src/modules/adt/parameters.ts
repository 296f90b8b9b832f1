import { badRequest, type Resource } from '@hospitium/fhir';

/** One `Parameters.parameter` as operations read it. */
interface Parameter {
  name?: unknown;
  [value: string]: unknown;
}

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The input of an ADT operation: a Parameters body read by name, every problem a 400 naming the
 * parameter (an integrator sees which one and why). Unknown parameter names are refused, so a
 * typo is not silently ignored.
 */
export class OperationInput {
  private readonly byName = new Map<string, Parameter[]>();

  constructor(
    private readonly operation: string,
    body: unknown,
    known: readonly string[],
  ) {
    const parameters =
      body === undefined
        ? []
        : typeof body === 'object' && body !== null && (body as Resource).resourceType === 'Parameters'
          ? ((body as { parameter?: unknown }).parameter ?? [])
          : undefined;
    if (!Array.isArray(parameters)) {
      throw badRequest(`$${operation} takes a Parameters resource (application/fhir+json)`, 'Parameters');
    }
    for (const p of parameters as Parameter[]) {
      if (typeof p?.name !== 'string')
        throw badRequest(`$${operation}: every parameter needs a name`, 'Parameters.parameter');
      if (!known.includes(p.name)) {
        throw badRequest(
          `$${operation} has no parameter '${p.name}' (it takes ${known.join(', ')})`,
          `Parameters.parameter.where(name='${p.name}')`,
        );
      }
      const list = this.byName.get(p.name) ?? [];
      list.push(p);
      this.byName.set(p.name, list);
    }
  }

  private one(name: string, required: boolean): Parameter | undefined {
    const list = this.byName.get(name) ?? [];
    if (list.length > 1)
      throw badRequest(`$${this.operation}: '${name}' may be given once`, this.where(name));
    if (list.length === 0 && required) {
      throw badRequest(`$${this.operation} needs the parameter '${name}'`, this.where(name));
    }
    return list[0];
  }

  private where(name: string): string {
    return `Parameters.parameter.where(name='${name}')`;
  }

  /** A reference to a resource of `type` (valueReference `Type/id`); returns the id. */
  reference(name: string, type: string, required: true): string;
  reference(name: string, type: string, required?: false): string | undefined;
  reference(name: string, type: string, required = false): string | undefined {
    const p = this.one(name, required);
    if (!p) return undefined;
    const ref = (p.valueReference as { reference?: unknown } | undefined)?.reference;
    const match = typeof ref === 'string' ? /^(?:.*\/)?([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
    if (!match || match[1] !== type) {
      throw badRequest(
        `$${this.operation}: '${name}' must be a valueReference to a ${type} ('${type}/{id}')`,
        this.where(name),
      );
    }
    return match[2];
  }

  /** A non-empty string (valueString). */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const p = this.one(name, required);
    if (!p) return undefined;
    const value = typeof p.valueString === 'string' ? p.valueString.trim() : '';
    if (value === '')
      throw badRequest(`$${this.operation}: '${name}' must be a non-empty valueString`, this.where(name));
    if (value.length > 1000)
      throw badRequest(`$${this.operation}: '${name}' is longer than 1000 characters`, this.where(name));
    return value;
  }

  /** A code from `codes` (valueCode, or valueCoding with `system`); returns the code. */
  code(
    name: string,
    system: string,
    codes: Readonly<Record<string, string>>,
    required = false,
  ): string | undefined {
    const p = this.one(name, required);
    if (!p) return undefined;
    const coding = p.valueCoding as { system?: unknown; code?: unknown } | undefined;
    const code = typeof p.valueCode === 'string' ? p.valueCode : coding?.code;
    const systemOk = coding === undefined || coding.system === undefined || coding.system === system;
    if (typeof code !== 'string' || !(code in codes) || !systemOk) {
      throw badRequest(
        `$${this.operation}: '${name}' must be a code of ${system}: ${Object.keys(codes).join(', ')}`,
        this.where(name),
      );
    }
    return code;
  }

  /** A dateTime with a time zone (valueDateTime), past or future (a plan); undefined when absent. */
  dateTime(name: string): string | undefined {
    const p = this.one(name, false);
    if (!p) return undefined;
    const value = p.valueDateTime;
    if (typeof value !== 'string' || !dateTimePattern.test(value) || Number.isNaN(Date.parse(value))) {
      throw badRequest(
        `$${this.operation}: '${name}' must be a valueDateTime with a time and time zone (e.g. 2026-03-01T14:30:00Z)`,
        this.where(name),
      );
    }
    return new Date(Date.parse(value)).toISOString();
  }

  /** A 400 naming the parameter, for problems an operation finds itself (e.g. two exclusive parameters). */
  problem(name: string, details: string) {
    return badRequest(details, this.where(name));
  }

  /** Whether the parameter was given (for operations where one of two is needed). */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** A dateTime with a time zone (valueDateTime), not more than 5 minutes in the future; default now. */
  time(name: string, now: Date): string {
    const p = this.one(name, false);
    if (!p) return now.toISOString();
    const value = p.valueDateTime;
    if (typeof value !== 'string' || !dateTimePattern.test(value) || Number.isNaN(Date.parse(value))) {
      throw badRequest(
        `$${this.operation}: '${name}' must be a valueDateTime with a time and time zone (e.g. 2026-03-01T14:30:00Z)`,
        this.where(name),
      );
    }
    if (Date.parse(value) > now.getTime() + 5 * 60_000) {
      throw badRequest(`$${this.operation}: '${name}' cannot be in the future`, this.where(name));
    }
    return new Date(Date.parse(value)).toISOString();
  }
}
