/** The three kick-off levels of Bulk Data `$export`. */
export const exportLevels = ['system', 'patient', 'group'] as const;
export type ExportLevel = (typeof exportLevels)[number];

/** A validated kick-off request, stored with the job (JSON) and read back by the worker. */
export interface ExportRequest {
  level: ExportLevel;
  /** The Group id for a group export. */
  groupId?: string;
  /** `_type`: resource types to export, in the order asked; undefined = every type of the level. */
  types?: string[];
  /** `_since`: only resources whose lastUpdated is after this instant (ISO). */
  since?: string;
  /** `_typeFilter`: search queries (URL query strings) per resource type, OR-ed within a type. */
  typeFilters: Record<string, string[]>;
  /** `patient` (POST): only these Patient ids. */
  patients?: string[];
  /** Always `application/fhir+ndjson` (the only output format). */
  outputFormat: 'application/fhir+ndjson';
  /** Who started the export: only the same client (and user) may poll, cancel or download it. */
  requestedBy?: ExportRequester;
}

/** The client (and, for a user's app, the user) that started an export. */
export interface ExportRequester {
  clientId?: string;
  subject: string;
}

export const jobStates = ['queued', 'running', 'completed', 'failed'] as const;
export type JobState = (typeof jobStates)[number];

/** Where a job stands; committed together with each output chunk, so a restart resumes exactly here. */
export interface ExportCursor {
  /** Index into the job's resolved type list. */
  typeIndex: number;
  /** Keyset position: the last `resources.rid` read for the current type. */
  afterRid: string;
  /** The file being written (1-based; 0 = none yet) and what it holds so far. */
  fileNo: number;
  chunkNo: number;
  fileResources: number;
  fileBytes: number;
  /** Resource type and kind of the current file (a file holds one type). */
  fileType?: string;
  fileKind?: 'output' | 'error';
  /** Resources written so far, over all types. */
  exported: number;
  /** True once the error file for unknown `patient` values has been written (or was not needed). */
  errorsWritten?: boolean;
}

export const emptyCursor: ExportCursor = {
  typeIndex: 0,
  afterRid: '0',
  fileNo: 0,
  chunkNo: 0,
  fileResources: 0,
  fileBytes: 0,
  exported: 0,
};

/** One job as stored. */
export interface ExportJob {
  id: string;
  state: JobState;
  requestUrl: string;
  request: ExportRequest;
  cursor: ExportCursor;
  progress?: string;
  /** The OperationOutcome of a failed job. */
  error?: unknown;
  transactionTime?: string;
  attempts: number;
  createdAt: string;
  completedAt?: string;
  expiresAt: string;
}

/** One file of a finished job, as listed in the manifest. */
export interface ExportFile {
  fileNo: number;
  kind: 'output' | 'error';
  type: string;
  count: number;
}

/** Tunables; every field has a default (see `defaultBulkExportOptions`). */
export interface BulkExportOptions {
  /** Resources read per page (one keyset query, one output chunk). Max 1000 (the search page limit). */
  pageSize: number;
  /** A new file starts when the current one holds this many resources … */
  maxFileResources: number;
  /** … or this many bytes of NDJSON. */
  maxFileBytes: number;
  /** How often an idle worker looks for jobs queued by other processes (ms). */
  pollIntervalMs: number;
  /** A running job whose heartbeat is older than this is considered abandoned and claimed again (ms). */
  leaseMs: number;
  /** How long a job and its files are kept after kick-off (ms). */
  retentionMs: number;
  /** Attempts before a job that keeps failing is marked failed. */
  maxAttempts: number;
}

export const defaultBulkExportOptions: BulkExportOptions = {
  pageSize: 1000,
  maxFileResources: 50_000,
  maxFileBytes: 64 * 1024 * 1024,
  pollIntervalMs: 2000,
  leaseMs: 60_000,
  retentionMs: 24 * 60 * 60 * 1000,
  maxAttempts: 3,
};
