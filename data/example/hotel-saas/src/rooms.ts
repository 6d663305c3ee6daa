// Room lookups for room-service orders. Known error: 1 (TS2322: the PMS sends room numbers as text).
export interface RoomRef {
  tenantId: string;
  number: number;
}

export function roomFromPms(raw: { tenant: string; room: string }): RoomRef {
  return { tenantId: raw.tenant, number: raw.room };
}
