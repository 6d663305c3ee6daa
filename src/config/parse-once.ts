// How the configuration's schemas are applied. zod compiles a parser of its own for each object
// schema on first use (generated code, `new Function`); that pays off over many records read again
// and again, not over a file read once at start-up: the example workspace validates in two thirds
// of the time without it (README: "Performance"). Hundreds of checks of one kind are the exception:
// they are read by one parser generated for the whole check (checks.ts).
export const PARSE_ONCE = { jitless: true } as const;
