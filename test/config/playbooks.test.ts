// `playbooks:` as written by people: what loads, and mistakes named by field.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { configIssues, FILE, HOTEL_HEAD } from './fixture.js';
import { argProblem } from '../../src/config/playbooks.js';

const base = `${HOTEL_HEAD}checks:
  - id: reservation-sync
    system: hotel-pms
    kind: command
    run: [true]
`;

const issuesOf = (text: string): string[] => configIssues(text);

describe('playbooks in imos.yaml', () => {
  it('loads a playbook with its actions, defaults and resolved paths', () => {
    const config = loadConfigText(
      `${base}playbooks:
  sync-recovery:
    alert_types: [DATA_SYNC_FAILURE]
    checks: [reservation-sync]
    coordinate: [leader, dependents, owner]
    runbook: |
      1. Look at the PMS.
    actions:
      recover:
        title: Re-run the sync
        run: [./scripts/recover-sync.sh, "--source={source}"]
        cwd: ./ops
        env: { MODE: 1 }
        timeout: 30s
        confirm: recover the sync
        allow: [leader, manager]
        keep_output: 50
        args:
          source: { choices: [pms, member], default: pms }
      status:
        run: [./scripts/status.sh]
`,
      FILE,
      { env: {} },
    );
    const [playbook] = config.playbooks!;
    expect(playbook).toMatchObject({
      id: 'sync-recovery',
      alertTypes: ['DATA_SYNC_FAILURE'],
      checks: ['reservation-sync'],
      coordinate: ['leader', 'dependents', 'owner'],
      runbook: '1. Look at the PMS.\n',
      allowSlackActions: false,
    });
    expect(playbook!.actions[0]).toEqual({
      id: 'recover',
      title: 'Re-run the sync',
      run: ['./scripts/recover-sync.sh', '--source={source}'],
      cwd: '/work/ops',
      env: { MODE: '1' },
      timeoutMs: 30_000,
      confirm: 'recover the sync',
      allow: ['leader', 'manager'],
      overlap: false,
      keepLines: 50,
      args: [{ name: 'source', choices: ['pms', 'member'], default: 'pms' }],
    });
    // The guard rails' defaults: the coordinated people may run it, one run at a time, 5 minutes.
    expect(playbook!.actions[1]).toMatchObject({ id: 'status', title: 'status', allow: ['coordinated'], overlap: false, timeoutMs: 300_000, confirm: null, keepLines: 200 });
  });

  it('names every mistake by its field', () => {
    const issues = issuesOf(`${base}playbooks:
  broken:
    checks: [no-such-check]
    coordinate: [nobody]
    actions:
      go:
        run: ["{prog}", "{missing}", "{free}"]
        allow: [stranger]
        timeout: 0s
        args:
          prog: { choices: [a] }
          free: {}
          bad: { pattern: "([" }
          unused: { pattern: "[a-z]+", default: "UPPER" }
  empty: {}
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/playbooks\.broken\.actions\.go\.timeout: expected a duration longer than 0s/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.args\.free: give an argument either `choices` or `pattern` \(never free text\)/),
        expect.stringMatching(/playbooks\.empty: a playbook needs alert_types or checks/),
      ]),
    );
  });

  it('resolves references: checks, people, roles, arguments', () => {
    const issues = issuesOf(`${base}playbooks:
  broken:
    checks: [no-such-check]
    coordinate: [nobody]
    actions:
      go:
        run: ["{prog}", "{missing}"]
        allow: [stranger]
        args:
          prog: { choices: [a] }
          bad: { pattern: "([" }
          unused: { pattern: "[a-z]+", default: "UPPER" }
  twice:
    checks: [reservation-sync]
  thrice:
    checks: [reservation-sync]
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ playbooks\.broken\.checks\[0\]: unknown check "no-such-check" \(checks: reservation-sync\)/),
        expect.stringMatching(/playbooks\.broken\.coordinate\[0\]: unknown person "nobody" \(people: manager, owner, luna, or leader, dependents\)/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.allow\[0\]: unknown person or role "stranger" .*coordinated, anyone/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.run\[1\]: \{missing\} is not an argument of this action/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.run\[0\]: the program itself cannot come from an argument/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.args\.bad\.pattern: not a valid regular expression/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.args\.unused\.default: unused must match \/\[a-z\]\+\/ \(got "UPPER"\)/),
        expect.stringMatching(/playbooks\.broken\.actions\.go\.args\.unused: argument "unused" is not used in run/),
        expect.stringMatching(/playbooks\.thrice\.checks\[0\]: "reservation-sync" is answered by playbook "twice" already/),
      ]),
    );
  });

  it('takes argument values from the declared choices or a whole-value pattern only', () => {
    const table = { name: 'table', pattern: '[a-z_]+' };
    expect(argProblem(table, 'reservations')).toBeNull();
    expect(argProblem(table, 'reservations; rm -rf /')).toMatch(/must match/);
    expect(argProblem(table, 'x\u001b[2J')).toMatch(/control characters/);
    expect(argProblem(table, 'a'.repeat(201))).toMatch(/longer than 200/);
    expect(argProblem({ name: 'source', choices: ['pms'] }, 'member')).toBe('source must be one of pms (got "member")');
  });
});
