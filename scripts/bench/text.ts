// Fitting a text to a width costs what is shown, not the text's length: the console redraws every
// visible row each frame, and a row may carry a very long text (500 systems without a standup).
// Floor: the same fit of the text's first 200 characters.
import { fit } from '../../views/text.js';
import { measure, report, verdict } from './measure.js';

const names = Array.from({ length: 500 }, (_, i) => `sys-${i}-システム-${'x'.repeat(40)}`).join(', ');
const long = `○ no standup yet: ${names}`;
const short = long.slice(0, 200);

const floor = await measure(2000, () => fit(short, 60));
report('fit() of a 200-character line (floor)', floor);
const longFit = await measure(2000, () => fit(long, 60));
report(`fit() of a ${long.length.toLocaleString('en')}-character line`, longFit, floor);
if (!verdict('a long line against the floor', longFit.p50 / floor.p50, 5)) process.exitCode = 1;
