// The standup form: draws the form model (views/model/standup-form.ts); the key router edits it.
import { Box, Text } from 'ink';
import { useUIState } from './context.js';
import { Tone } from './components/Tone.js';
import { useTheme } from './theme.js';
import { fit, fitEnd, pad } from './text.js';
import { errorKey, focusedField, type FieldKey, type StandupFormState } from './model/standup-form.js';
import { clockTime, dayIn, msOf } from './model/format.js';
import { sanitizeLine } from '../src/text/sanitize.js';

const LABEL = 11;

/** Whose entry is open: "today’s entry" (yours), or "maria’s entry of 09:12" (saving asks first). */
function editingWhose(form: StandupFormState, timezone: string): string {
  const other = form.others[form.draft.system];
  return other ? `${sanitizeLine(other.author, 40)}’s entry of ${clockTime(msOf(other.at), timezone)}` : 'today’s entry';
}

export function StandupForm({ form, width, height }: { form: StandupFormState; width: number; height: number }) {
  const { config, now, actor } = useUIState();
  const theme = useTheme();
  const focus = focusedField(form);
  const inner = width - 4;
  const textW = inner - LABEL - 2;
  // Multi-line fields show their last lines; the rest of the height is shared.
  const textLines = Math.max(1, Math.min(6, Math.floor((height - 10 - form.draft.blockers.length) / 2)));
  const system = config.systems[form.draft.system];

  const err = (field: FieldKey) => form.errors[errorKey(field)];
  const marker = (field: FieldKey) => (focus === field ? '›' : ' ');
  const labelText = (field: FieldKey, label: string) => (
    <Text bold={focus === field} color={focus === field ? theme.color('accent') : undefined}>
      {`${marker(field)}${pad(label, LABEL)}`}
    </Text>
  );
  const multi = (field: 'done' | 'next', label: string) => {
    const value = form.draft[field];
    const lines = value.split('\n');
    const shown = lines.slice(-textLines);
    return (
      <Box key={field} flexDirection="column">
        {shown.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {i === 0 ? labelText(field, label) : ' '.repeat(LABEL + 1)}
            {'│ '}
            {/* The line being typed keeps its end in view, and room for the cursor. */}
            {focus === field && i === shown.length - 1 ? fitEnd(line, textW - 2) : fit(line, textW - 1)}
            {focus === field && i === shown.length - 1 ? <Tone token="accent">▏</Tone> : null}
          </Text>
        ))}
        {err(field) ? <Tone token="critical">{' '.repeat(LABEL + 1) + fit(`✖ ${err(field)}`, textW)}</Tone> : null}
      </Box>
    );
  };

  if (form.confirmingReplace) {
    const owner = form.confirmingReplace;
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.color('warn')} paddingX={1}>
        <Text wrap="wrap">
          <Tone token="warn" bold>
            {`Replace ${sanitizeLine(owner.author, 80)}’s standup? `}
          </Tone>
          {`${sanitizeLine(owner.author, 80)} entered today’s ${form.draft.system} standup at ${clockTime(msOf(owner.at), config.timezone)}. Saving puts yours in its place, as ${actor}; theirs stays in the entry’s history.`}
        </Text>
        <Text>{' '}</Text>
        <Tone token="warn" bold>
          y = replace it · n = keep editing
        </Tone>
      </Box>
    );
  }
  if (form.confirmingDiscard) {
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.color('warn')} paddingX={1}>
        <Tone token="warn" bold>
          Discard this standup? Nothing has been saved. (y = discard · n = keep editing)
        </Tone>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.color('accent')} paddingX={1}>
      <Text bold wrap="truncate-end">
        {fit(`Standup ${dayIn(now(), config.timezone)} · ${actor}${form.loaded ? ` · editing ${editingWhose(form, config.timezone)}` : ''}`, inner)}
        {form.saving ? <Tone token="muted"> saving…</Tone> : null}
      </Text>
      <Text wrap="truncate-end">
        {labelText('system', 'System')}
        {'‹ '}
        <Text bold>{form.draft.system || '–'}</Text>
        {' ›'}
        <Text color={theme.color('muted')}>{system ? ` ${system.name}` : ''}</Text>
        {err('system') ? <Tone token="critical">{`  ✖ ${err('system')}`}</Tone> : null}
      </Text>
      {multi('done', 'Done')}
      {multi('next', 'Next')}
      <Text bold>{' Blockers'}</Text>
      {form.draft.blockers.map((b, i) => {
        const textField = `blocker:${i}` as FieldKey;
        const waitsField = `waits:${i}` as FieldKey;
        return (
          <Box key={i} flexDirection="column">
            <Text wrap="truncate-end">
              {labelText(textField, `  ${i + 1}`)}
              {'│ '}
              {focus === textField ? fitEnd(b.text, textW - 2) : fit(b.text, textW - 1)}
              {focus === textField ? <Tone token="accent">▏</Tone> : null}
            </Text>
            <Text wrap="truncate-end">
              {labelText(waitsField, '  waits on')}
              {'‹ '}
              <Text bold>{b.waitsOn ?? b.other ?? 'nothing'}</Text>
              {' ›'}
              {err(waitsField) ? <Tone token="critical">{`  ✖ ${err(waitsField)}`}</Tone> : null}
              {err(textField) ? <Tone token="critical">{`  ✖ ${err(textField)}`}</Tone> : null}
            </Text>
          </Box>
        );
      })}
      <Text bold={focus === 'add-blocker'} color={focus === 'add-blocker' ? theme.color('accent') : theme.color('muted')}>
        {`${marker('add-blocker')}[+ add blocker]`}
      </Text>
      <Text bold={focus === 'save'} inverse={focus === 'save'} color={focus === 'save' ? theme.color('accent') : undefined}>
        {`${marker('save')}[ Save ]`}
      </Text>
      {form.errors[''] ? <Tone token="critical">{fit(`✖ ${form.errors['']}`, inner)}</Tone> : null}
    </Box>
  );
}
