// The roles a playbook's `coordinate` and an action's `allow` may name besides person ids.

/** The failing system's leader. */
export const LEADER = 'leader';
/** The leaders of every system that depends on the failing one, directly or through others. */
export const DEPENDENTS = 'dependents';
/** In `allow` only: anyone the playbook coordinates. */
export const COORDINATED = 'coordinated';
/** In `allow` only: anybody at all. */
export const ANYONE = 'anyone';

export const COORDINATE_ROLES: readonly string[] = [LEADER, DEPENDENTS];
export const ALLOW_ROLES: readonly string[] = [LEADER, DEPENDENTS, COORDINATED, ANYONE];
