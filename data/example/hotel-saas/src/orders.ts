// Service orders, still written against the old SQLite shapes: the unified schema renamed
// room_no to roomId and made tenantId required. Known errors: 3 (TS2339, TS2322, TS2345).
import { priceWithTax, type MenuItem } from './menu.js';

export interface ServiceOrder {
  id: number;
  tenantId: string;
  roomId: string;
  items: MenuItem[];
}

export function orderTotal(order: ServiceOrder): number {
  return order.items.reduce((sum, item) => sum + priceWithTax(item), 0);
}

export function roomLabel(order: ServiceOrder): string {
  return `Room ${order.room_no}`;
}

export function legacyOrder(id: number): ServiceOrder {
  const tenantId: string | undefined = undefined;
  return { id, tenantId, roomId: '101', items: [] };
}

export function firstItemPrice(order: ServiceOrder): number {
  return priceWithTax(order.items[0]?.name);
}
