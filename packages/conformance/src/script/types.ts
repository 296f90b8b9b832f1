/**
 * The parts of a FHIR R4 TestScript the runner executes (http://hl7.org/fhir/R4/testscript.html),
 * read from JSON by `parse.ts`. Elements the runner does not act on are not modelled.
 */

export interface Coding {
  system?: string;
  code?: string;
}

export interface RequestHeader {
  field: string;
  value: string;
}

export interface Operation {
  type?: Coding;
  resource?: string;
  label?: string;
  description?: string;
  accept?: string;
  contentType?: string;
  destination?: number;
  encodeRequestUrl?: boolean;
  method?: string;
  params?: string;
  requestHeader?: RequestHeader[];
  requestId?: string;
  responseId?: string;
  sourceId?: string;
  targetId?: string;
  url?: string;
}

export interface Assert {
  label?: string;
  description?: string;
  direction?: 'request' | 'response';
  compareToSourceId?: string;
  compareToSourceExpression?: string;
  compareToSourcePath?: string;
  contentType?: string;
  expression?: string;
  headerField?: string;
  minimumId?: string;
  navigationLinks?: boolean;
  operator?: string;
  path?: string;
  requestMethod?: string;
  requestURL?: string;
  resource?: string;
  response?: string;
  responseCode?: string;
  /** Not in R4: the peer suite's regular expression over the raw response body (`matchesRegex`). */
  responseBody?: string;
  sourceId?: string;
  validateProfileId?: string;
  value?: string;
  warningOnly?: boolean;
}

/** One action: exactly one of operation or assert. */
export interface Action {
  operation?: Operation;
  assert?: Assert;
}

export interface Test {
  id?: string;
  name?: string;
  description?: string;
  action: Action[];
}

export interface Fixture {
  id: string;
  autocreate: boolean;
  autodelete: boolean;
  /** `#id` (a contained resource) or a path relative to the script file. */
  reference?: string;
}

export interface Variable {
  name: string;
  defaultValue?: string;
  expression?: string;
  headerField?: string;
  path?: string;
  sourceId?: string;
}

export interface TestScript {
  resourceType: 'TestScript';
  id?: string;
  name?: string;
  title?: string;
  contained: Record<string, unknown>[];
  fixture: Fixture[];
  variable: Variable[];
  setup: Action[];
  test: Test[];
  teardown: Action[];
}
