// The checkout tests the example's coverage check runs (node --test with coverage, lcov).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { billTotal, chargeToRoom, lineTotal } from './billing.mjs';

test('a bill adds its lines and the tax', () => {
  assert.equal(lineTotal({ unitPrice: 12.5, quantity: 2 }), 25);
  assert.equal(billTotal([{ unitPrice: 12.5, quantity: 2 }, { unitPrice: 5, quantity: 1 }]), 33);
  assert.throws(() => lineTotal({ unitPrice: 1, quantity: 0 }));
});

test('a bill is charged to a checked-in room only', () => {
  assert.deepEqual(chargeToRoom({ id: 'B1', total: 33 }, { number: '301', checkedIn: true }), { ok: true, folio: '301-B1', amount: 33 });
  assert.equal(chargeToRoom({ id: 'B2', total: 10 }, { number: '302', checkedIn: false }).ok, false);
});
