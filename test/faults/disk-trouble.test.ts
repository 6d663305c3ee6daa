// Disk trouble, in the fault suite too: the store's disk read-only and full (a small tmpfs) under
// every state-changing command, a corrupt lease file and a disk turned read-only under a running
// daemon (loud failure: CANNOT POLL, /healthz 503, exit 69). The tests live beside the commands they
// hold to account (they also run in `npm test`); here they run with the other faults.
import '../cli/truthful-writes.test.js';
import '../cli/loud-failure.test.js';
