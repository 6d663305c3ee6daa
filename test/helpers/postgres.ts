// The throwaway PostgreSQL lives in shipped code (the demo uses it too); tests import it from here.
export * from '../../src/pg-cluster/cluster.js';
