// A small slice of the Orders SaaS, mid-migration to the unified schema. It type-checks
// cleanly: the errors the demo counts live in orders.ts and rooms.ts.
export interface MenuItem {
  id: number;
  tenantId: string;
  name: string;
  priceYen: number;
}

export function priceWithTax(item: MenuItem, rate = 0.1): number {
  return Math.round(item.priceYen * (1 + rate));
}
