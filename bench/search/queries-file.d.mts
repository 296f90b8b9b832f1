export declare function findQueriesFile(): string | undefined;
