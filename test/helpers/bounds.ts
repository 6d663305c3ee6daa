// Wall-clock limits in tests only catch hangs. The machines running the suite are shared and may
// be slow, so a limit sits far above what the behaviour needs and far below what a hang (a timeout
// not honoured, a process never killed) would take; each test makes the hang it guards against
// longer than this. How fast things are is measured by `npm run bench`, against floors measured in
// the same run.
export const HANG_MS = 15_000;
