/** The order a subscriber's pending deliveries go in. */

export interface PendingDelivery {
  _id: string;
  subjectId: string;
  seq: number;
  createdAt: Date | number;
}

/**
 * Oldest first, and each barrier's (or ask's) events in their timeline's
 * order even where recording times disagree (two workers' clocks): a
 * subject's deliveries keep the places its deliveries hold, sorted by seq.
 */
export function deliveryOrder<T extends PendingDelivery>(rows: readonly T[]): T[] {
  const byTime = [...rows].sort(
    (a, b) =>
      +a.createdAt - +b.createdAt || a.subjectId.localeCompare(b.subjectId) || a.seq - b.seq,
  );
  const bySubject = new Map<string, T[]>();
  for (const r of byTime) bySubject.set(r.subjectId, [...(bySubject.get(r.subjectId) ?? []), r]);
  for (const list of bySubject.values()) list.sort((a, b) => a.seq - b.seq);
  const next = new Map<string, number>();
  return byTime.map((r) => {
    const i = next.get(r.subjectId) ?? 0;
    next.set(r.subjectId, i + 1);
    return bySubject.get(r.subjectId)![i]!;
  });
}
