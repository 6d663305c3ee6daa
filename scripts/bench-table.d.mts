// Types of scripts/bench-table.mjs for the tests that import it.
export declare function benchTable(result: unknown): string;
export declare function replaceBenchTable(readme: string, table: string): string;
