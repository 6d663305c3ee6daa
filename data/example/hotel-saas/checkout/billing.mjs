// Checkout billing for service orders: the part of hotel-saas with tests (node --test). The
// example's coverage check runs them; refunds and split bills are not tested yet.
export function lineTotal(item) {
  if (item.quantity <= 0) throw new Error(`quantity must be positive: ${item.quantity}`);
  return Math.round(item.unitPrice * item.quantity * 100) / 100;
}

export function billTotal(items, taxRate = 0.1) {
  const net = items.reduce((sum, item) => sum + lineTotal(item), 0);
  return Math.round(net * (1 + taxRate) * 100) / 100;
}

export function chargeToRoom(bill, room) {
  if (!room.checkedIn) return { ok: false, reason: `room ${room.number} is not checked in` };
  return { ok: true, folio: `${room.number}-${bill.id}`, amount: bill.total };
}

export function refund(bill, reason) {
  if (!reason) throw new Error('a refund needs a reason');
  if (bill.paid === false) return { amount: 0, reason: 'nothing was paid' };
  return { amount: bill.total, reason };
}

export function splitBill(bill, ways) {
  if (ways < 2) return [bill.total];
  const share = Math.floor((bill.total / ways) * 100) / 100;
  const shares = Array.from({ length: ways }, () => share);
  shares[0] = Math.round((bill.total - share * (ways - 1)) * 100) / 100;
  return shares;
}
