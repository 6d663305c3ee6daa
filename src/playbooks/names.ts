// The audit actions of a playbook action's run: its start (with its claim) and its end (with what it did).
export const ACTION_RUN = 'action-run';
export const ACTION_START = 'action-start';
